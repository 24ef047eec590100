package io.wharf.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The one part a writer holds in memory: an array that grows by doubling, so that a small file never costs a whole
 * part, until it would reach the part size; then it takes a part-sized array from {@link PartMemory}, to which it
 * returns it when released. Growing past 64 KiB first reserves a part there, which may wait. Not thread-safe.
 */
final class PartBuffer {
    private static final int INITIAL = 64 * 1024;

    private final PartMemory memory;
    private final String path;
    private final int capacity;
    private byte[] bytes = new byte[0];
    private int length;
    private boolean reserved;

    /** A buffer for the writer of the path (named when a reservation times out). */
    PartBuffer(PartMemory memory, String path) {
        this.memory = memory;
        this.path = path;
        this.capacity = memory.partSize();
    }

    /** The most bytes it holds: one part. */
    int capacity() {
        return capacity;
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
    void append(ByteBuffer source, int n) throws IOException {
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

    /** Takes a whole part's array now, for a writer that expects to fill parts. */
    void reserveWholePart() throws IOException {
        grow(capacity);
    }

    /** Drops the array, handing a part-sized one on, and ends the reservation. */
    void release() {
        memory.give(bytes);
        bytes = new byte[0];
        length = 0;
        if (reserved) {
            reserved = false;
            memory.unreserve();
        }
    }

    private void grow(int needed) throws IOException {
        if (needed <= bytes.length) {
            return;
        }
        long size = Math.min(capacity, Math.max(needed, Math.max(INITIAL, 2L * bytes.length)));
        if (size > INITIAL && !reserved) {
            memory.reserve(path);
            reserved = true;
        }
        byte[] larger = size == capacity ? memory.take() : new byte[(int) size];
        System.arraycopy(bytes, 0, larger, 0, length);
        bytes = larger;
    }
}
