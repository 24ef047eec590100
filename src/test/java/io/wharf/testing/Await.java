package io.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread or process brings about, failing with {@code what} at the deadline. */
public final class Await {
    /** How often the condition is asked again: short beside every deadline used, long beside a check's cost. */
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("%s within %s", what, limit).isBefore(deadline);
            Thread.sleep(POLL);
        }
    }
}
