package io.wharf.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Optional;

/**
 * The key IDs under which Distribution finds a trusted key by a token's {@code kid}: the libtrust fingerprint
 * (what Distribution has always used for keys of {@code rootcertbundle}) and the RFC 7638 thumbprint.
 */
final class KeyIds {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private KeyIds() {
    }

    /** Every ID the key may be named by. */
    static List<String> of(PublicKey key) {
        return rfc7638(key).map(t -> List.of(libtrust(key), t)).orElse(List.of(libtrust(key)));
    }

    /**
     * libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, in twelve groups of four
     * separated by colons.
     */
    static String libtrust(PublicKey key) {
        byte[] hash = sha256(key.getEncoded());
        String b32 = base32(java.util.Arrays.copyOf(hash, 30));
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < b32.length(); i += 4) {
            if (i > 0) {
                id.append(':');
            }
            id.append(b32, i, i + 4);
        }
        return id.toString();
    }

    private static Optional<String> rfc7638(PublicKey key) {
        try {
            JWK jwk = switch (key) {
                case RSAPublicKey rsa -> new RSAKey.Builder(rsa).build();
                case ECPublicKey ec -> new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()),
                        ec).build();
                default -> null;
            };
            return jwk == null ? Optional.empty() : Optional.of(jwk.computeThumbprint().toString());
        } catch (JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String s) {
        return java.util.HexFormat.of().formatHex(sha256(s.getBytes(StandardCharsets.UTF_8)));
    }
}
