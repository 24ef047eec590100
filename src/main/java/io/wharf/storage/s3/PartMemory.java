package io.wharf.storage.s3;

import io.wharf.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heap that writers' part buffers may use. Every writer past its first 64 KiB holds up to one part
 * ({@code chunksize}, 10 MiB by default) until it closes, so without a bound thirty large pushes at once would
 * exhaust a 256 MiB heap. A writer reserves a whole part before its buffer grows past 64 KiB; when all
 * parts are reserved it waits for one (its client's upload stalls: back-pressure), and after {@code wait} it fails
 * with {@link StorageUnavailableException}, which clients see as a retryable 503. A writer never waits while it
 * holds a reservation, so writers cannot wait on each other in a cycle.
 *
 * <p>Part-sized arrays are also passed from one writer to the next: a chunked upload opens a writer per chunk, and
 * each would otherwise allocate a part that becomes garbage when it closes; such arrays go straight to the old
 * generation, which then grows to the heap's cap between full collections. Thread-safe.
 */
final class PartMemory {
    /** Arrays kept between writers: enough for the chunks of an upload that follow one another. */
    private static final int KEPT = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(PartMemory.class);

    private final int partSize;
    private final int parts;
    private final Semaphore reservations;
    private final ArrayBlockingQueue<byte[]> kept = new ArrayBlockingQueue<>(KEPT);
    private final Duration wait;
    /** When the last warning about waiting writers was logged ({@link System#nanoTime}); one a minute at most. */
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - WARN_EVERY.toNanos() - 1);

    PartMemory(int partSize, int parts, Duration wait) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1: " + parts);
        }
        this.partSize = partSize;
        this.parts = parts;
        this.reservations = new Semaphore(parts, true);
        this.wait = wait;
    }

    /** Parts below which start-up warns: with fewer, a few concurrent large pushes already wait for each other. */
    static final int WARN_BELOW_PARTS = 4;
    /** Parts the warning's advised heap gives, as many as the former default 256 MiB heap gave. */
    static final int ADVISED_PARTS = 8;

    /**
     * A third of the heap's limit in parts, at least two. With fewer than {@link #WARN_BELOW_PARTS} (the default
     * 64 MiB heap of the launcher, the package and the image gives two of 10 MiB) a warning at start names the heap
     * that gives {@link #ADVISED_PARTS}.
     */
    static PartMemory forHeap(int partSize) {
        long heap = Runtime.getRuntime().maxMemory();
        int parts = (int) Math.max(2, Math.min(heap / 3 / partSize, 10_000));
        if (parts < WARN_BELOW_PARTS) {
            LOG.warn("storage.s3: the heap ({} MiB) holds {} part buffers of {} MiB (chunksize), so at most {} large "
                    + "uploads stream to S3 at once and the others wait; -Xmx{}m (JAVA_OPTS, WHARF_JAVA_OPTS) gives {}",
                    heap >> 20, parts, partSize >> 20, parts, advisedHeap(partSize) >> 20, ADVISED_PARTS);
        }
        return new PartMemory(partSize, parts, WAIT);
    }

    /**
     * An {@code -Xmx} that gives {@link #ADVISED_PARTS} parts: three times their size, plus an eighth for the survivor
     * space that the heap's limit ({@code maxMemory}) leaves out.
     */
    static long advisedHeap(int partSize) {
        return 3L * ADVISED_PARTS * partSize * 9 / 8;
    }

    int partSize() {
        return partSize;
    }

    /** How many parts writers may hold at once. */
    int parts() {
        return parts;
    }

    /**
     * Reserves one part for a writer's buffer, waiting while all are reserved.
     *
     * @throws StorageUnavailableException when none came free in time
     * @throws InterruptedIOException when the thread is interrupted while waiting
     */
    void reserve(String path) throws IOException {
        // With a zero timeout, unlike tryAcquire(), the semaphore stays fair: no barging past waiters.
        if (acquire(0, path)) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last > WARN_EVERY.toNanos() && lastWarned.compareAndSet(last, now)) {
            LOG.warn("uploads to S3 wait for part buffers: all {} of {} bytes are in use (a third of the heap); "
                    + "raise the heap to let more large uploads stream at once", parts, partSize);
        }
        if (!acquire(wait.toMillis(), path)) {
            throw new StorageUnavailableException("all " + parts + " part buffers of " + partSize
                    + " bytes stayed in use by other uploads for " + wait.toSeconds() + " s", path, null);
        }
    }

    private boolean acquire(long millis, String path) throws InterruptedIOException {
        try {
            return reservations.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer: " + path);
        }
    }

    /** How many writers wait for a reservation (an estimate, for monitoring and tests). */
    int waiting() {
        return reservations.getQueueLength();
    }

    /** Ends a reservation made by {@link #reserve}. */
    void unreserve() {
        reservations.release();
    }

    /** A part-sized array, kept or new; its content is undefined. The caller must hold a reservation. */
    byte[] take() {
        byte[] array = kept.poll();
        return array != null ? array : new byte[partSize];
    }

    /** Keeps a part-sized array for a later {@link #take} when there is room; the caller must not use it again. */
    void give(byte[] array) {
        if (array.length == partSize) {
            kept.offer(array);
        }
    }
}
