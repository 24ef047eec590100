package io.wharf.registry;

import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A driver that pauses the first {@code putContent} or {@code move} to a matching path until the
 * test releases it, so a test can run something exactly in the middle of a write sequence.
 */
final class BlockingDriver implements StorageDriver {
    private final StorageDriver delegate;
    private volatile Predicate<String> pauseAt = p -> false;
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    BlockingDriver(StorageDriver delegate) {
        this.delegate = delegate;
    }

    void pauseAt(Predicate<String> path) {
        this.pauseAt = path;
    }

    private void maybePause(String path) throws IOException {
        if (pauseAt.test(path)) {
            pauseAt = p -> false;
            reached.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("test never released the paused write to " + path);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    @Override
    public String name() {
        return "blocking-" + delegate.name();
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        return delegate.getContent(path);
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        maybePause(path);
        delegate.putContent(path, content);
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        return delegate.reader(path, offset);
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        return delegate.writer(path, append);
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        return delegate.stat(path);
    }

    @Override
    public List<String> list(String path) throws IOException {
        return delegate.list(path);
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        maybePause(destPath);
        delegate.move(sourcePath, destPath);
    }

    @Override
    public void delete(String path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void walk(String path, WalkVisitor visitor) throws IOException {
        delegate.walk(path, visitor);
    }
}
