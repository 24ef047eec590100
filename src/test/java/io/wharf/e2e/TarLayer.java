package io.wharf.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** A filesystem layer made of one file with random content: its tar bytes and their gzip. */
record TarLayer(byte[] tar, byte[] gzip) {
    private static final int BLOCK = 512;

    /** A layer holding {@code fileName} with {@code size} random bytes drawn from {@code random}. */
    static TarLayer random(Random random, String fileName, int size) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        byte[] tar = tar(fileName, content);
        return new TarLayer(tar, gzip(tar));
    }

    private static byte[] tar(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(name, content.length));
        out.writeBytes(content);
        out.writeBytes(new byte[padding(content.length)]);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static int padding(int size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /** A POSIX ustar header for a regular file owned by root, mode 0644, dated 2024-01-01. */
    private static byte[] header(String name, int size) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 1_704_067_200L));
        put(h, 148, "        ");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
