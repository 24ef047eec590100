package io.wharf.http;

import java.util.concurrent.Semaphore;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * The pooled direct buffers blob files are sent through, never the heap. Every transfer may have a {@link #BASE}
 * buffer; a part larger than that gets a larger one instead while a budget allows: a {@link #HUGE} buffer for the
 * first few transfers at once (a quarter of the budget), a {@link #LARGE} one for the next (the rest). Larger steps
 * cost fewer reads, writes and thread wake-ups per byte: one 1 GiB pull on this project's 2-core machine ran at about
 * 2,100 MiB/s in 256 KiB steps and 2,900 in 1 MiB steps, 16 concurrent ones at about 2,700 MiB/s in 64 KiB steps and
 * 3,500 in 256 KiB steps (docs/BENCHMARKS.md). The budget bounds what they add to the direct memory of many concurrent
 * pulls (the JVM's limit is the heap's size unless set).
 *
 * <p>Thread-safe; one per server.
 */
final class TransferBuffers {
    /** Every transfer's buffer size, and the largest part sent with one read and one write. */
    static final int BASE = 64 * 1024;
    /** The step of a large transfer while the budget allows. */
    static final int LARGE = 256 * 1024;
    /** The step of a large transfer while few transfers hold such a step. */
    static final int HUGE = 1024 * 1024;

    private final ByteBufferPool pool;
    private final ByteBufferPool largePool;
    private final ByteBufferPool hugePool;
    private final Semaphore large;
    private final Semaphore huge;

    /**
     * @param pool where the {@link #BASE} buffers come from and return to (the server's)
     * @param budget bytes of {@link #HUGE} and {@link #LARGE} buffers that may be lent out at once: a quarter of it
     *     in {@link #HUGE} ones, the rest in {@link #LARGE} ones (each rounded down to whole buffers); they are
     *     pooled apart, as the server's pool keeps nothing larger than {@link #BASE}
     */
    TransferBuffers(ByteBufferPool pool, long budget) {
        int hugeCount = (int) Math.min(Integer.MAX_VALUE, budget / 4 / HUGE);
        int largeCount = (int) Math.min(Integer.MAX_VALUE, (budget - (long) hugeCount * HUGE) / LARGE);
        this.pool = pool;
        this.largePool = new ArrayByteBufferPool(LARGE, LARGE, LARGE, largeCount, 0, (long) largeCount * LARGE);
        this.hugePool = new ArrayByteBufferPool(HUGE, HUGE, HUGE, hugeCount, 0, (long) hugeCount * HUGE);
        this.large = new Semaphore(largeCount);
        this.huge = new Semaphore(hugeCount);
    }

    /** A buffer of {@link #BASE} bytes; the caller releases it. */
    RetainableByteBuffer base() {
        return pool.acquire(BASE, true);
    }

    /**
     * A buffer for a part of {@code length} bytes: a {@link #HUGE} one when the part is larger than {@link #LARGE}
     * and the budget allows, else a {@link #LARGE} one when the part is larger than {@link #BASE} and the budget
     * allows, otherwise a {@link #BASE} one. The caller releases it with {@link #release}.
     */
    RetainableByteBuffer forPart(long length) {
        if (length > LARGE && huge.tryAcquire()) {
            return acquire(hugePool, HUGE, huge);
        }
        if (length > BASE && large.tryAcquire()) {
            return acquire(largePool, LARGE, large);
        }
        return base();
    }

    private static RetainableByteBuffer acquire(ByteBufferPool from, int size, Semaphore share) {
        try {
            return from.acquire(size, true);
        } catch (RuntimeException | Error e) {
            share.release();
            throw e;
        }
    }

    /** Returns a buffer from {@link #forPart} to the pool, and its share of the budget. */
    void release(RetainableByteBuffer buffer) {
        int capacity = buffer.capacity();
        buffer.release();
        if (capacity >= HUGE) {
            huge.release();
        } else if (capacity >= LARGE) {
            large.release();
        }
    }

    /** {@link #LARGE} buffers that may still be lent out now (for tests). */
    int largeAvailable() {
        return large.availablePermits();
    }

    /** {@link #HUGE} buffers that may still be lent out now (for tests). */
    int hugeAvailable() {
        return huge.availablePermits();
    }
}
