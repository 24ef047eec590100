package io.wharf.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the tokens of Wharf's token server with an EC P-256 key (ES256) kept in a PEM file, named by its
 * libtrust key ID in {@code kid} so that Distribution could verify them too. Access tokens have the service as
 * audience; refresh tokens have {@code refresh:<service>}, so one can never be used in place of the other.
 */
public final class TokenIssuer {
    private final ECPrivateKey key;
    private final ECPublicKey publicKey;
    private final String keyId;
    private final String issuer;
    private final String service;
    private final Clock clock;

    private TokenIssuer(ECPrivateKey key, ECPublicKey publicKey, String issuer, String service, Clock clock) {
        this.key = key;
        this.publicKey = publicKey;
        this.keyId = KeyIds.libtrust(publicKey);
        this.issuer = issuer;
        this.service = service;
        this.clock = clock;
    }

    /**
     * Loads the key from {@code keyFile}, creating a new P-256 key there (readable by the owner only) when the
     * file does not exist.
     *
     * @throws IllegalArgumentException naming the file when it is not an EC P-256 private key
     */
    public static TokenIssuer load(Path keyFile, String issuer, String service, Clock clock) {
        if (!Files.exists(keyFile)) {
            create(keyFile);
        }
        PrivateKey k = PemFiles.privateKey(keyFile);
        if (!(k instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException(keyFile + ": the token server needs an EC P-256 private key");
        }
        return new TokenIssuer(ec, publicKeyOf(ec, keyFile), issuer, service, clock);
    }

    private static void create(Path keyFile) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            Path parent = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(keyFile, PemFiles.pem(pair.getPrivate()), StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX filesystem.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(keyFile + ": cannot create the token signing key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is missing from the JDK", e);
        }
    }

    /** The public point from the private scalar, since a PKCS#8 file need not carry it. */
    private static ECPublicKey publicKeyOf(ECPrivateKey k, Path file) {
        try {
            var point = EcMath.multiply(k.getParams(), k.getS());
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, k.getParams()));
        } catch (GeneralSecurityException | ArithmeticException e) {
            throw new IllegalArgumentException(file + ": cannot derive the public key", e);
        }
    }

    public ECPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    public String issuer() {
        return issuer;
    }

    public String service() {
        return service;
    }

    /** An access token for {@code subject} (empty: anonymous) granting {@code access}, valid for {@code ttl}. */
    public String accessToken(String subject, List<Scope> access, Duration ttl) {
        return sign(subject, service, ttl, access);
    }

    /** A refresh token for {@code subject}, exchanged at the token endpoint for access tokens. */
    public String refreshToken(String subject, Duration ttl) {
        return sign(subject, "refresh:" + service, ttl, List.of());
    }

    /** When tokens issued now are issued, to the second. */
    public Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private String sign(String subject, String audience, Duration ttl, List<Scope> access) {
        Instant now = now();
        List<Map<String, Object>> claim = access.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", s.type());
            m.put("name", s.name());
            m.put("actions", s.actions());
            return m;
        }).toList();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).claim("access", claim).build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(keyId).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
        return jwt.serialize();
    }

    /** A short fingerprint of the public key, for the log. */
    public String fingerprint() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(KeyIds.sha256(publicKey.getEncoded()))
                .substring(0, 16);
    }
}
