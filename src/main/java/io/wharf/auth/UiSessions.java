package io.wharf.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * The web UI's sessions, carried whole in a cookie: a JWT signed with HMAC-SHA256 naming the user, its expiry and
 * the session's CSRF token. Nothing is stored on the server, so any instance sharing the key accepts a session
 * another issued; the key is derived from {@code http.secret} when set (the same on every instance, as Distribution
 * requires), otherwise drawn at random at start, and then sessions last until the process ends.
 *
 * <p>A session cannot be revoked before it expires (logging out drops the browser's cookie); the lifetime is
 * {@code ui.sessionttl}.
 */
public final class UiSessions {
    /** The cookie's name. */
    public static final String COOKIE = "wharf_session";
    private static final String CSRF_CLAIM = "csrf";

    /**
     * A valid session.
     *
     * @param principal who logged in ({@link Principal#ANONYMOUS} for a session that only carries a CSRF token)
     * @param csrf the value every change must carry in {@code X-CSRF-Token}
     * @param expiresAt when it ends
     */
    public record Session(Principal principal, String csrf, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param secret {@code http.secret}; empty for a key of this process only
     * @param ttl how long a session lasts
     */
    public UiSessions(String secret, Duration ttl, Clock clock) {
        byte[] key = secret.isEmpty() ? random(32) : derive(secret);
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("session key", e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A new session for the principal, with a fresh CSRF token. */
    public Session open(Principal principal) {
        return new Session(principal, token(), clock.instant().plus(ttl));
    }

    /** The cookie value carrying the session. */
    public String encode(Session session) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(session.principal().name())
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(session.expiresAt()))
                .claim(CSRF_CLAIM, session.csrf())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a session", e);
        }
        return jwt.serialize();
    }

    /** The session a cookie value carries, when it is signed with this key, well formed and not expired. */
    public Optional<Session> decode(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 4096) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(cookie);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            String csrf = claims.getStringClaim(CSRF_CLAIM);
            String subject = claims.getSubject();
            if (exp == null || csrf == null || subject == null || !exp.toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(new Session(subject.isEmpty() ? Principal.ANONYMOUS : new Principal(subject), csrf,
                    exp.toInstant()));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a request's CSRF header matches the session's token, compared in constant time. */
    public static boolean csrfMatches(Session session, String header) {
        return header != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }

    private String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
    }

    private byte[] random(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A key for this purpose only, so the secret's other uses never share a key with sessions. */
    private static byte[] derive(String secret) {
        return Hmac.derive(secret, "wharf ui session key");
    }
}
