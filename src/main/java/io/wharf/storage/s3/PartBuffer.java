package io.wharf.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The one part a writer holds in memory: an array that grows by doubling up to the part size, so that a small
 * file never costs a whole part. Not thread-safe.
 */
final class PartBuffer {
    private static final int INITIAL = 64 * 1024;

    private final int capacity;
    private byte[] bytes = new byte[0];
    private int length;

    PartBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Bytes held. */
    int length() {
        return length;
    }

    /** Bytes that still fit before the part is full. */
    int free() {
        return capacity - length;
    }

    boolean full() {
        return length == capacity;
    }

    /** The backing array; valid up to {@link #length} until the next change. */
    byte[] array() {
        return bytes;
    }

    /** Moves {@code n} bytes (at most {@link #free}) from the source into the buffer. */
    void append(ByteBuffer source, int n) {
        grow(length + n);
        source.get(bytes, length, n);
        length += n;
    }

    /** Appends exactly {@code n} bytes (at most {@link #free}) read from the stream. */
    void fill(InputStream in, int n) throws IOException {
        grow(length + n);
        int read = in.readNBytes(bytes, length, n);
        if (read != n) {
            throw new IOException("expected " + n + " bytes, read " + read);
        }
        length += n;
    }

    /** Empties the buffer, keeping its array for the next part. */
    void clear() {
        length = 0;
    }

    /** Drops the array. */
    void release() {
        bytes = new byte[0];
        length = 0;
    }

    private void grow(int needed) {
        if (needed > bytes.length) {
            long doubled = Math.max(INITIAL, 2L * bytes.length);
            bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, Math.max(needed, doubled)));
        }
    }
}
