package io.wharf.registry.redis;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answered lately, for the reads that can do without it. After a failure, reads skip Redis for a
 * cool-off instead of each waiting out the socket timeout on a Redis that hangs (a blob pull would otherwise take a
 * timeout per layer); writes keep asking, since they must not go on without coordination. Each change between
 * answering and failing is logged once, so an instance serving only pulls still says that Redis is gone.
 * Thread-safe.
 */
final class RedisHealth {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);
    static final Duration COOL_OFF = Duration.ofSeconds(5);

    private final LongSupplier nanos;
    private volatile boolean down;
    private volatile long askAgainAt;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests) */
    RedisHealth(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Whether a read should ask Redis now: it answered last time, or its cool-off is over. */
    boolean readsMayAsk() {
        return !down || nanos.getAsLong() - askAgainAt >= 0;
    }

    /** A call failed for want of Redis. */
    void failed(RuntimeException cause) {
        askAgainAt = nanos.getAsLong() + COOL_OFF.toNanos();
        if (!down) {
            down = true;
            LOG.warn("Redis does not answer ({}): pulls go on without it (reads skip it for {} s at a time), "
                    + "pushes, deletes and tag moves get 503 until it does", cause.getMessage(), COOL_OFF.toSeconds());
        }
    }

    /** A call succeeded. */
    void answered() {
        if (down) {
            down = false;
            LOG.info("Redis answers again");
        }
    }
}
