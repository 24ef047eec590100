package io.wharf.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket for log lines: at most {@code perSecond} lines a second on average, bursts of up to
 * {@code burst}; what it refuses is counted and handed to the next line it allows, so a flood is summarised rather
 * than written out or silently lost. Thread-safe and lock-free.
 */
final class LogLimiter {
    private final long nanosPerToken;
    private final long burstNanos;
    private final LongSupplier nanos;
    /** The instant at which the bucket would be empty again: tokens left = (now - emptyAt) / nanosPerToken. */
    private final AtomicLong emptyAt;
    private final AtomicLong suppressed = new AtomicLong();

    LogLimiter(int perSecond, int burst, LongSupplier nanos) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("perSecond and burst must be positive");
        }
        this.nanosPerToken = 1_000_000_000L / perSecond;
        this.burstNanos = nanosPerToken * burst;
        this.nanos = nanos;
        this.emptyAt = new AtomicLong(nanos.getAsLong() - burstNanos);
    }

    /**
     * Takes a token.
     *
     * @return -1 when the line must be dropped (it is counted); otherwise how many lines were dropped since the last
     *     allowed one
     */
    long allow() {
        long now = nanos.getAsLong();
        while (true) {
            long empty = emptyAt.get();
            // Never bank more than a burst: a quiet hour does not buy an hour of lines.
            long base = now - empty > burstNanos ? now - burstNanos : empty;
            long next = base + nanosPerToken;
            if (now - next < 0) {
                suppressed.incrementAndGet();
                return -1;
            }
            if (emptyAt.compareAndSet(empty, next)) {
                return suppressed.getAndSet(0);
            }
        }
    }
}
