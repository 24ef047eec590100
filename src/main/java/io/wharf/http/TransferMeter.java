package io.wharf.http;

/**
 * One request's data rate, measured only while the server waits on the client: while a read of the request body
 * found nothing to read, or a response write is still pending. Time the server spends on its own work (hashing,
 * storage, a lock) never counts against the client.
 *
 * <p>The rate is judged once per window: when the time spent waiting on the client since the last judgement
 * reaches {@code window}, the bytes moved in that span must be at least {@code minRate × window}; then both
 * counters start again. Counters therefore never exceed one window's worth, whatever the request's volume or the
 * server's uptime, and times are compared only as differences of {@link System#nanoTime()}-like readings, which is
 * correct across their wrap-around.
 *
 * <p>Thread-safe: the request's reader and writer and the guard's sweeper call it concurrently.
 */
final class TransferMeter {
    private final long minRate;
    private final long windowNanos;
    private long windowBytes;
    private long waitedNanos;
    private int pendingWaits;
    private long waitingSince;

    /**
     * @param minRate bytes per second; 0 never judges a request too slow
     * @param windowNanos waiting time per judgement, positive
     */
    TransferMeter(long minRate, long windowNanos) {
        if (minRate < 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("minRate must be >= 0 and the window positive");
        }
        this.minRate = minRate;
        this.windowNanos = windowNanos;
    }

    /** The server starts waiting on the client (a read found nothing, or a write was handed to the network). */
    synchronized void waitStarted(long now) {
        if (pendingWaits++ == 0) {
            waitingSince = now;
        }
    }

    /** A wait ended having moved {@code bytes} (0 when nothing moved). */
    synchronized void waitEnded(long now, long bytes) {
        if (pendingWaits == 0) {
            throw new IllegalStateException("no wait is pending");
        }
        if (--pendingWaits == 0) {
            waitedNanos = saturatedAdd(waitedNanos, now - waitingSince);
        }
        moved(bytes);
    }

    /** Bytes that arrived or left without the server having to wait for them. */
    synchronized void moved(long bytes) {
        windowBytes = saturatedAdd(windowBytes, Math.max(0, bytes));
    }

    /**
     * Judges the window if it is complete.
     *
     * @return true when a complete window moved fewer bytes than the minimum rate asks; the request should be cut
     */
    synchronized boolean tooSlow(long now) {
        long waited = pendingWaits > 0 ? saturatedAdd(waitedNanos, now - waitingSince) : waitedNanos;
        if (minRate == 0 || waited < windowNanos) {
            return false;
        }
        if (windowBytes < required(waited)) {
            return true;
        }
        windowBytes = 0;
        waitedNanos = 0;
        if (pendingWaits > 0) {
            waitingSince = now;
        }
        return false;
    }

    /** {@code minRate × waited / 10^9}, saturating at {@code Long.MAX_VALUE} instead of overflowing. */
    private long required(long waitedNanos) {
        long seconds = waitedNanos / 1_000_000_000L;
        long rest = waitedNanos % 1_000_000_000L;
        long whole;
        try {
            whole = Math.multiplyExact(minRate, seconds);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        // Split so that neither product can overflow: minRate / 10^9 < 2^34 and rest < 10^9 < 2^30.
        long fraction = (minRate / 1_000_000_000L) * rest + (minRate % 1_000_000_000L) * rest / 1_000_000_000L;
        return saturatedAdd(whole, fraction);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
