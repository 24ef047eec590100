package io.wharf.storage.fs;

import io.wharf.storage.FileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writer over a file channel; commit fsyncs the file, its directory, and the directory's entry if deferred. */
final class ChannelWriter implements FileWriter {
    private final Path file;
    private final FileChannel ch;
    private final UnsyncedDirectories unsynced;
    private long size;
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
            size += ch.write(buffer);
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
            ch.close();
        }
    }
}
