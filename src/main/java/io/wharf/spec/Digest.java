package io.wharf.spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest {@code algorithm:hex} as defined by the OCI image spec, restricted to the
 * registered algorithms {@code sha256} and {@code sha512}. Immutable; equal when the text is equal.
 */
public final class Digest implements Comparable<Digest> {

    /** A registered digest algorithm with its hex length and JCA name. */
    public enum Algorithm {
        SHA256("sha256", 64, "SHA-256"),
        SHA512("sha512", 128, "SHA-512");

        private final String id;
        private final int hexLength;
        private final String jcaName;

        Algorithm(String id, int hexLength, String jcaName) {
            this.id = id;
            this.hexLength = hexLength;
            this.jcaName = jcaName;
        }

        public String id() {
            return id;
        }

        public int hexLength() {
            return hexLength;
        }

        /** A fresh hasher for this algorithm. */
        public MessageDigest newHasher() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jcaName, e);
            }
        }

        /** The algorithm with this identifier, or {@code null}. */
        public static Algorithm byId(String id) {
            for (Algorithm a : values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
            return null;
        }
    }

    private final Algorithm algorithm;
    private final String hex;
    /**
     * {@code algorithm:hex}, made on first use: a manifest's digest is written into two headers of every answer
     * that serves it, from the one cached instance. Not volatile: a racing thread at worst makes an equal string.
     */
    private String text;

    private Digest(Algorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /**
     * Parses {@code algorithm:hex}.
     *
     * @throws RegistryException {@link ErrorCode#DIGEST_INVALID} when malformed or of an
     *     unsupported algorithm
     */
    public static Digest parse(String text) {
        if (text == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(text));
        }
        Algorithm algorithm = Algorithm.byId(text.substring(0, colon));
        if (algorithm == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "unsupported digest algorithm: " + abbreviate(text.substring(0, colon)));
        }
        String hex = text.substring(colon + 1);
        if (hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(text));
        }
        return new Digest(algorithm, hex);
    }

    /** True when {@link #parse} would accept the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    /** The digest of finished hasher output. */
    public static Digest of(Algorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** The digest of a whole byte array (for manifests, never blobs). */
    public static Digest compute(Algorithm algorithm, byte[] content) {
        return of(algorithm, algorithm.newHasher().digest(content));
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public String hex() {
        return hex;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() > 150 ? s.substring(0, 150) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        // Not Objects.hash: its array was one of the larger allocations of a blob GET, which hashes digests in the
        // caches' lookups. The ordinal keeps the value the same in every JVM.
        return 31 * algorithm.ordinal() + hex.hashCode();
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = algorithm.id + ":" + hex;
            text = t;
        }
        return t;
    }

    /** Lower-cased algorithm id, for log fields. */
    public String algorithmId() {
        return algorithm.id.toLowerCase(Locale.ROOT);
    }
}
