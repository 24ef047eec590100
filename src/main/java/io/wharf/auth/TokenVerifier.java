package io.wharf.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies registry tokens as Distribution does: the signing key comes from the {@code x5c} chain (which must end
 * in a trusted root), from a trusted {@code jwk}, or from a trusted key named by {@code kid}; {@code iss} must be a
 * trusted issuer, {@code aud} must name the service, {@code exp} and {@code nbf} hold within {@link #LEEWAY}. Only
 * asymmetric algorithms are accepted, so {@code alg: none} and HMAC signed with a public key are refused.
 */
public final class TokenVerifier {
    /** Distribution's allowance for clock skew on {@code exp} and {@code nbf}. */
    public static final Duration LEEWAY = Duration.ofSeconds(60);
    /** Every asymmetric JWS algorithm; Distribution's default set without the HMAC ones. */
    public static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
            "PS256", "PS384", "PS512", "EdDSA", "Ed25519");

    private final Set<String> issuers;
    private final String service;
    private final TrustedKeys trust;
    private final Set<String> algorithms;
    private final Clock clock;

    /**
     * @param issuers the accepted {@code iss} values
     * @param service the {@code aud} a token must name
     * @param algorithms accepted {@code alg} values, a subset of {@link #ASYMMETRIC}; empty for all of them
     */
    public TokenVerifier(Set<String> issuers, String service, TrustedKeys trust, Set<String> algorithms, Clock clock) {
        this.issuers = Set.copyOf(issuers);
        this.service = service;
        this.trust = trust;
        this.algorithms = algorithms.isEmpty() ? ASYMMETRIC : Set.copyOf(algorithms);
        this.clock = clock;
        if (!ASYMMETRIC.containsAll(this.algorithms)) {
            throw new IllegalArgumentException("only asymmetric signing algorithms are allowed: " + algorithms);
        }
    }

    /** Why a token was refused, for the log; never contains the token. */
    public static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Verifies a compact JWS.
     *
     * @throws InvalidToken when it is malformed, unsigned, signed by an untrusted key or with a refused algorithm,
     *     from another issuer, for another service, expired or not yet valid
     */
    public TokenClaims verify(String compact) throws InvalidToken {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(compact);
        } catch (ParseException e) {
            throw new InvalidToken("malformed or unsigned token");
        }
        JWSHeader header = jwt.getHeader();
        String alg = header.getAlgorithm().getName();
        if (!algorithms.contains(alg)) {
            throw new InvalidToken("signing algorithm " + alg + " is not accepted");
        }
        PublicKey key = signingKey(header);
        if (!signatureValid(jwt, key, header.getAlgorithm())) {
            throw new InvalidToken("signature does not verify");
        }
        try {
            return claims(jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            throw new InvalidToken("malformed claims");
        }
    }

    private PublicKey signingKey(JWSHeader header) throws InvalidToken {
        if (header.getX509CertChain() != null && !header.getX509CertChain().isEmpty()) {
            return trust.verifyChain(header.getX509CertChain(), clock.instant());
        }
        JWK jwk = header.getJWK();
        if (jwk != null) {
            return trust.trustedJwk(jwk, clock.instant());
        }
        if (header.getKeyID() != null) {
            PublicKey key = trust.byKeyId(header.getKeyID());
            if (key == null) {
                throw new InvalidToken("token signed by an untrusted key (kid " + header.getKeyID() + ")");
            }
            return key;
        }
        throw new InvalidToken("token names no signing key (x5c, jwk or kid)");
    }

    private static boolean signatureValid(SignedJWT jwt, PublicKey key, JWSAlgorithm alg) throws InvalidToken {
        try {
            if (JWSAlgorithm.Family.ED.contains(alg) || alg.getName().equals("Ed25519")) {
                if (!key.getAlgorithm().startsWith("Ed")) {
                    throw new InvalidToken("EdDSA token with a non-Ed25519 key");
                }
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(jwt.getSigningInput());
                return s.verify(jwt.getSignature().decode());
            }
            JWSVerifier verifier = switch (key) {
                case RSAPublicKey rsa when JWSAlgorithm.Family.RSA.contains(alg) -> new RSASSAVerifier(rsa);
                case ECPublicKey ec when JWSAlgorithm.Family.EC.contains(alg) -> new ECDSAVerifier(ec);
                default -> throw new InvalidToken("algorithm " + alg + " does not fit the signing key ("
                        + key.getAlgorithm() + ")");
            };
            if (!verifier.supportedJWSAlgorithms().contains(alg)) {
                throw new InvalidToken("algorithm " + alg + " does not fit the signing key's curve");
            }
            return jwt.verify(verifier);
        } catch (JOSEException | GeneralSecurityException e) {
            return false;
        }
    }

    private TokenClaims claims(JWTClaimsSet claims) throws InvalidToken {
        if (claims.getIssuer() == null || !issuers.contains(claims.getIssuer())) {
            throw new InvalidToken("token from an untrusted issuer");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(service)) {
            throw new InvalidToken("token for another service");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || now.isAfter(exp.toInstant().plus(LEEWAY))) {
            throw new InvalidToken("token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(LEEWAY))) {
            throw new InvalidToken("token not valid yet");
        }
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        return new TokenClaims(subject, access(claims.getClaim("access")), exp.toInstant());
    }

    private static List<Scope> access(Object claim) throws InvalidToken {
        List<Scope> scopes = new ArrayList<>();
        if (claim == null) {
            return scopes;
        }
        if (!(claim instanceof List<?> list)) {
            throw new InvalidToken("malformed access claim");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("name") instanceof String name)) {
                throw new InvalidToken("malformed access claim");
            }
            List<String> actions = new ArrayList<>();
            if (m.get("actions") instanceof List<?> acts) {
                acts.stream().filter(String.class::isInstance).map(String.class::cast).forEach(actions::add);
            }
            scopes.add(new Scope(type, name, actions));
        }
        return scopes;
    }
}
