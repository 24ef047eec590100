package io.wharf.http;

import java.util.concurrent.Semaphore;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * The pooled direct buffers blob files are sent through, never the heap. Every transfer may have a {@link #BASE}
 * buffer; a part larger than that gets a {@link #LARGE} one instead while the large buffers lent out stay within a
 * budget. Larger steps cost fewer reads, writes and thread wake-ups per byte (16 concurrent 1 GiB pulls on this
 * project's 2-core machine: about 2,700 MiB/s in 64 KiB steps, 3,500 in 256 KiB steps; docs/BENCHMARKS.md); the
 * budget bounds what they add to the direct memory of many concurrent pulls (the JVM's limit is the heap's size
 * unless set).
 *
 * <p>Thread-safe; one per server.
 */
final class TransferBuffers {
    /** Every transfer's buffer size, and the largest part sent with one read and one write. */
    static final int BASE = 64 * 1024;
    /** The step of a large transfer while the budget allows. */
    static final int LARGE = 256 * 1024;

    private final ByteBufferPool pool;
    private final ByteBufferPool largePool;
    private final Semaphore large;

    /**
     * @param pool where the {@link #BASE} buffers come from and return to (the server's)
     * @param largeBudget bytes of {@link #LARGE} buffers that may be lent out at once (rounded down to whole
     *     buffers); they are pooled apart, as the server's pool keeps nothing larger than {@link #BASE}
     */
    TransferBuffers(ByteBufferPool pool, long largeBudget) {
        int count = (int) Math.min(Integer.MAX_VALUE, largeBudget / LARGE);
        this.pool = pool;
        this.largePool = new ArrayByteBufferPool(LARGE, LARGE, LARGE, count, 0, (long) count * LARGE);
        this.large = new Semaphore(count);
    }

    /** A buffer of {@link #BASE} bytes; the caller releases it. */
    RetainableByteBuffer base() {
        return pool.acquire(BASE, true);
    }

    /**
     * A buffer for a part of {@code length} bytes: a {@link #LARGE} one when the part is larger than {@link #BASE}
     * and the budget allows, otherwise a {@link #BASE} one. The caller releases it with {@link #release}.
     */
    RetainableByteBuffer forPart(long length) {
        if (length > BASE && large.tryAcquire()) {
            try {
                return largePool.acquire(LARGE, true);
            } catch (RuntimeException | Error e) {
                large.release();
                throw e;
            }
        }
        return base();
    }

    /** Returns a buffer from {@link #forPart} to the pool, and its share of the budget. */
    void release(RetainableByteBuffer buffer) {
        boolean wasLarge = buffer.capacity() >= LARGE;
        buffer.release();
        if (wasLarge) {
            large.release();
        }
    }

    /** Large buffers that may still be lent out now (for tests). */
    int largeAvailable() {
        return large.availablePermits();
    }
}
