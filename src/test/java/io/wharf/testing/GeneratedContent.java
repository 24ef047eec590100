package io.wharf.testing;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/** {@code size} bytes that depend on {@code seed}: a random MiB, each copy stamped with its index. */
public final class GeneratedContent extends InputStream {
    private final byte[] block = new byte[1 << 20];
    private final long size;
    private long position;

    public GeneratedContent(int seed, long size) {
        new SplittableRandom(seed).nextBytes(block);
        this.size = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int inBlock = (int) (position % block.length);
        if (inBlock == 0) {
            long index = position / block.length;
            for (int i = 0; i < 8; i++) {
                block[i] = (byte) (index >>> (8 * i));
            }
        }
        int n = (int) Math.min(Math.min(len, block.length - inBlock), size - position);
        System.arraycopy(block, inBlock, b, off, n);
        position += n;
        return n;
    }

    /** The SHA-256 of the content {@code seed} and {@code size} generate, computed by streaming it. */
    public static String sha256(int seed, long size) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new GeneratedContent(seed, size)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
