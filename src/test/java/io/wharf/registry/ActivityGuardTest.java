package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ActivityGuardTest {
    private static final Instant START = Instant.parse("2026-12-07T10:00:00.000250Z");

    private final MutableClock clock = new MutableClock(START);
    private final ActivityGuard guard = new ActivityGuard(clock);

    @Test
    void aTouch_isRecordedToTheMillisecondRoundedUp_andNeverMovesBack() {
        guard.touch("blob");

        assertThat(guard.lastTouched("blob")).isEqualTo(Instant.parse("2026-12-07T10:00:00.001Z"));

        clock.advance(Duration.ofMillis(-5));
        guard.touch("blob");

        assertThat(guard.lastTouched("blob")).isEqualTo(Instant.parse("2026-12-07T10:00:00.001Z"));
        assertThat(guard.lastTouched("other")).isEqualTo(Instant.MIN);
    }

    @Test
    void aRemoval_runsOnlyForAKeyNotTouchedSinceTheCutOff() throws Exception {
        guard.touch("recent");
        clock.advance(Duration.ofMinutes(10));

        assertThat(guard.removeUnlessRecent("recent", START, () -> true)).isFalse();
        assertThat(guard.removeUnlessRecent("recent", START.plusSeconds(1), () -> true)).isTrue();
        assertThat(guard.removeUnlessRecent("untouched", START, () -> true)).isTrue();
    }

    @Test
    void aTouch_waitsWhileARemovalOfTheKeyRuns() throws Exception {
        CountDownLatch removing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean removed = new AtomicBoolean();
        Thread remover = Thread.ofPlatform().start(() -> {
            try {
                guard.removeUnlessRecent("blob", START.plusSeconds(1), () -> {
                    removing.countDown();
                    awaitQuietly(release);
                    removed.set(true);
                    return true;
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(removing.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean removedWhenTouched = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            guard.touch("blob");
            removedWhenTouched.set(removed.get());
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(reader.getState()).as("the touch waits for the removal").isEqualTo(Thread.State.WAITING);
        release.countDown();
        remover.join(10_000);
        reader.join(10_000);

        assertThat(removedWhenTouched).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
