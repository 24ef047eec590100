package io.wharf.registry;

import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Hashes a large request body on a second (virtual) thread while the request's own thread goes on receiving the body
 * and writing it to storage. Hashing and writing each took about a third of the server's CPU in a 1 GiB push, one
 * after the other on one thread; side by side they use both cores of a small machine (docs/BENCHMARKS.md, "1 GiB
 * pushes: the baseline, larger reads, hashing beside writing").
 *
 * <p>The caller {@linkplain #hand hands over} each buffer once it has written it and gets a free one back to read
 * the next part into. There are at most {@link #DEPTH} buffers, the caller's own included, so a hasher slower than
 * the network holds the caller back instead of growing memory. How many bodies are hashed this way at once is bounded
 * by a semaphore the caller owns ({@link #start}): with more uploads than cores, the cores are busy anyway.
 *
 * <p>One caller thread; not reusable. The digest belongs to the hasher from {@link #start} until {@link #finish}
 * returns it; after {@link #close} without {@link #finish} its state is undefined.
 */
final class ConcurrentHasher implements AutoCloseable {
    /** Buffers per hashed body, the caller's own included: one being read, one waiting, one being hashed. */
    static final int DEPTH = 3;

    private record Part(byte[] bytes, int length) {
    }

    private static final Part END = new Part(new byte[0], -1);

    private final MessageDigest digest;
    private final Semaphore slots;
    private final BlockingQueue<Part> filled = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
    private final Thread thread;
    private boolean finished;
    private boolean closed;

    private ConcurrentHasher(MessageDigest digest, int bufferSize, Semaphore slots) {
        this.digest = digest;
        this.slots = slots;
        for (int i = 1; i < DEPTH; i++) {
            free.add(new byte[bufferSize]);
        }
        this.thread = Thread.ofVirtual().name("wharf-hash").start(this::run);
    }

    /**
     * Starts hashing on a second thread if {@code slots} has a permit (held until {@link #close}), else empty and
     * the caller hashes inline.
     *
     * @param digest the running digest, already holding every byte before the first one handed over
     * @param bufferSize the size of the caller's buffer; the free buffers handed back are as large
     */
    static Optional<ConcurrentHasher> start(MessageDigest digest, int bufferSize, Semaphore slots) {
        if (!slots.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConcurrentHasher(digest, bufferSize, slots));
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    /**
     * Queues {@code bytes[0, length)} to be hashed after every part handed over before; the caller must not touch
     * {@code bytes} again.
     *
     * @return a free buffer for the next part, waiting while all are in use
     */
    byte[] hand(byte[] bytes, int length) throws InterruptedIOException {
        try {
            filled.put(new Part(bytes, length));
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing the body");
        }
    }

    /** Waits until every part handed over is hashed; returns the digest, which is the caller's again. */
    MessageDigest finish() throws InterruptedIOException {
        try {
            filled.put(END);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing the body");
        }
        finished = true;
        return digest;
    }

    /** Stops the hashing thread if {@link #finish} did not, and gives the permit back. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!finished) {
                thread.interrupt();
                boolean interrupted = false;
                while (thread.isAlive()) {
                    try {
                        thread.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            slots.release();
        }
    }

    /** Whether its thread is still running (for tests). */
    boolean hashing() {
        return thread.isAlive();
    }

    private void run() {
        try {
            for (Part part = filled.take(); part != END; part = filled.take()) {
                digest.update(part.bytes(), 0, part.length());
                free.put(part.bytes());
            }
        } catch (InterruptedException e) {
            // Closed without finishing: the body failed, and its digest is discarded.
        }
    }
}
