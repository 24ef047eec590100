package io.wharf.storage.fs;

import io.wharf.storage.FileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writer over a file channel; commit fsyncs the file, its directory, and the directory's entry if deferred.
 *
 * <p>Every {@value #EARLY_FLUSH_BYTES} bytes written it starts an {@code fdatasync} on a virtual thread (one at a
 * time) without waiting for it. Why: the kernel does not begin writing a large file back until gigabytes are dirty,
 * so a 1 GiB upload used to be received first and written to the disk only by the final sync, one after the other;
 * this way the disk writes while the client is still sending, and the final sync finds little left. Nothing is
 * promised by these early syncs (a failure is reported by the final one).
 */
final class ChannelWriter implements FileWriter {
    static final long EARLY_FLUSH_BYTES = 32L * 1024 * 1024;

    private final Path file;
    private final FileChannel ch;
    private final UnsyncedDirectories unsynced;
    private long size;
    private long unflushed;
    private Thread flushing;
    private boolean closed;

    ChannelWriter(Path file, FileChannel ch, UnsyncedDirectories unsynced) throws IOException {
        this.file = file;
        this.ch = ch;
        this.unsynced = unsynced;
        this.size = ch.size();
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int n = ch.write(buffer);
            size += n;
            unflushed += n;
        }
        if (unflushed >= EARLY_FLUSH_BYTES && (flushing == null || !flushing.isAlive())) {
            unflushed = 0;
            flushing = Thread.ofVirtual().name("wharf-early-flush").start(this::flushEarly);
        }
    }

    private void flushEarly() {
        try {
            ch.force(false);
        } catch (IOException e) {
            // Closed meanwhile, or a disk error that the final sync reports to the writer.
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws IOException {
        ch.force(true);
        close();
        FilesystemDriver.fsyncDirectory(file.getParent());
        unsynced.settle(file.getParent());
    }

    @Override
    public void cancel() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            awaitEarlyFlush();
            ch.close();
        }
    }

    private void awaitEarlyFlush() {
        if (flushing == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                flushing.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the channel must not close under the sync; the flag is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
