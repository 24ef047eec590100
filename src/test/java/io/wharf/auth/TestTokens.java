package io.wharf.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Tokens as an external issuer makes them, including malformed and hostile ones. */
public final class TestTokens {
    private TestTokens() {
    }

    /** Distribution-shaped claims. */
    public static JWTClaimsSet claims(String issuer, String service, String subject, Instant expiry,
            List<Map<String, Object>> access) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(service).subject(subject)
                .issueTime(Date.from(Instant.now())).notBeforeTime(Date.from(Instant.now().minusSeconds(5)))
                .expirationTime(Date.from(expiry)).jwtID("id-" + System.nanoTime()).claim("access", access).build();
    }

    /** One access entry. */
    public static Map<String, Object> access(String type, String name, String... actions) {
        return Map.of("type", type, "name", name, "actions", List.of(actions));
    }

    /** Signed with RS*, PS* or ES* by nimbus. */
    public static String sign(JWSHeader header, JWTClaimsSet claims, KeyPair keys) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        if (keys.getPrivate() instanceof ECPrivateKey ec) {
            jwt.sign(new ECDSASigner(ec));
        } else {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        }
        return jwt.serialize();
    }

    /** Signed with Ed25519 (the JDK's own), header {@code alg: EdDSA}. */
    public static String signEd25519(String kid, JWTClaimsSet claims, KeyPair keys) throws Exception {
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.toString()
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    /** {@code alg: none}, no signature. */
    public static String unsigned(JWTClaimsSet claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** HS256 keyed with the bytes of a public key: the classic algorithm-confusion attack. */
    public static String hmacWithPublicKey(String kid, JWTClaimsSet claims, byte[] publicKey) throws Exception {
        String input = b64(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
                .getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The token with one character of its signature changed. */
    public static String tampered(String token) {
        int dot = token.lastIndexOf('.');
        char c = token.charAt(dot + 5);
        return token.substring(0, dot + 5) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 6);
    }

    /** A header with the given algorithm and key ID. */
    public static JWSHeader header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).keyID(kid).build();
    }

    private static String b64(byte[] b) {
        return Base64URL.encode(b).toString();
    }
}
