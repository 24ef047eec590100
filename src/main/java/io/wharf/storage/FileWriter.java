package io.wharf.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An appending writer from {@link StorageDriver#writer}. Not thread-safe: one writer, one thread.
 * {@link #close} without {@link #commit} keeps what was written but promises no durability. After
 * {@link #commit}, {@link #cancel} or {@link #close}, {@link #write} and {@link #commit} throw
 * {@link IOException}; {@link #close} may be called again and does nothing.
 */
public interface FileWriter extends Closeable {

    /** Writes all remaining bytes of the buffer. */
    void write(ByteBuffer buffer) throws IOException;

    /** Writes a slice of an array. */
    default void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The file's size including everything written so far. */
    long size();

    /** Makes everything written durable and closes the writer. */
    void commit() throws IOException;

    /**
     * Removes the file, including any content it had before this writer opened, and closes the
     * writer.
     */
    void cancel() throws IOException;
}
