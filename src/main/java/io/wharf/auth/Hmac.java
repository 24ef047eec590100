package io.wharf.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256, the one keyed hash Wharf uses: UI session keys, upload state, the fingerprint of {@code http.secret}
 * in server leases, the password cache. A {@link Mac} is not thread-safe, so each call makes its own: that costs
 * microseconds, and only upload requests and logins call it, never a pull.
 */
public final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /** The HMAC-SHA256 of the parts, in order, under {@code key}. */
    public static byte[] sha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
        }
    }

    /**
     * A key for one purpose from a shared secret (the HMAC of {@code purpose} under it), so that the secret's uses
     * never share a key and a derived value does not reveal the secret.
     */
    public static byte[] derive(String secret, String purpose) {
        return sha256(secret.getBytes(StandardCharsets.UTF_8), purpose.getBytes(StandardCharsets.UTF_8));
    }
}
