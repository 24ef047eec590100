package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Coordination} promises, in-process or shared: exclusive locks, leases with an owner and an
 * expiry that a stale holder cannot renew, and change notices. Each implementation extends this suite.
 */
public abstract class CoordinationContract {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A fresh coordination reading {@link #clock}. */
    protected abstract Coordination coordination() throws Exception;

    @Test
    void lock_isExclusivePerKey_acrossThreads() throws Exception {
        Coordination c = coordination();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            done.add(pool.submit(() -> {
                for (int j = 0; j < 200; j++) {
                    try (Coordination.Held held = c.lock("tag:app:latest")) {
                        if (inside.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        assertThat(held.held()).isTrue();
                        inside.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void lock_releasedByClose_letsTheNextHolderIn() throws Exception {
        Coordination c = coordination();
        Coordination.Held first = c.lock("upload:1");
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (Coordination.Held second = c.lock("upload:1")) {
                acquired.countDown();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(acquired.await(200, TimeUnit.MILLISECONDS)).as("blocked while held").isFalse();
        first.close();
        assertThat(first.held()).isFalse();
        assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }

    @Test
    void locksOfDifferentKeys_neverWaitForEachOther() throws Exception {
        Coordination c = coordination();
        List<Coordination.Held> held = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            held.add(c.lock("upload:held-" + i));
        }
        try (ExecutorService other = Executors.newSingleThreadExecutor()) {
            try {
                Future<Integer> taken = other.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        try (Coordination.Held h = c.lock("upload:other-" + i)) {
                            assertThat(h.held()).isTrue();
                        }
                    }
                    return 50;
                });
                assertThat(taken.get(30, TimeUnit.SECONDS)).isEqualTo(50);
            } finally {
                // Before the executor's close waits for its task, which may be waiting for one of these.
                for (Coordination.Held h : held) {
                    h.close();
                }
            }
        }
    }

    @Test
    void lease_hasOneOwnerUntilItExpires_thenAnotherMayTakeIt_andTheStaleOwnerCannotRenew() throws Exception {
        Coordination c = coordination();
        Duration ttl = Duration.ofMillis(500);
        Coordination.Lease a = c.tryLease("gc", "instance-a", ttl).orElseThrow();
        assertThat(a.owner()).isEqualTo("instance-a");
        assertThat(c.tryLease("gc", "instance-b", Duration.ofMinutes(1))).isEmpty();
        assertThat(a.renew(ttl)).isTrue();

        // Instance a stalls: its lease runs out (on the injected clock, or on the shared service's own).
        clock.advance(Duration.ofSeconds(1));
        Coordination.Lease b = awaitLease(c, "gc", "instance-b", Duration.ofMinutes(1));
        assertThat(b.owner()).isEqualTo("instance-b");
        assertThat(a.renew(Duration.ofMinutes(1))).as("the stale holder is fenced out").isFalse();
        a.release();
        assertThat(c.tryLease("gc", "instance-c", Duration.ofMinutes(1))).as("a stale release frees nothing").isEmpty();
        b.release();
        assertThat(c.tryLease("gc", "instance-c", Duration.ofMinutes(1))).isPresent();
    }

    /** Takes the lease as soon as the holder's has expired, waiting for that for at most 10 s. */
    private static Coordination.Lease awaitLease(Coordination c, String name, String owner, Duration ttl)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var lease = c.tryLease(name, owner, ttl);
            if (lease.isPresent()) {
                return lease.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the expired lease was never free");
    }

    @Test
    void changes_reachEveryListener() throws Exception {
        Coordination c = coordination();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.onChange(seen::add);
        c.changed("tag:app:v1");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seen.contains("tag:app:v1") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(seen).contains("tag:app:v1");
    }

    @Test
    void writes_areTheGuardTheCollectorConsults() throws Exception {
        Coordination c = coordination();
        c.writes().touch("sha256:abc");
        boolean removed = c.writes().removeUnlessRecent("sha256:abc", clock.instant().minusSeconds(1), () -> true);
        assertThat(removed).as("touched after the cut-off: kept").isFalse();
    }

    @Test
    void writes_batchRemoval_leavesOutTouchedAndInFlightKeysAndReportsWhatWasRemoved() throws Exception {
        Coordination c = coordination();
        Instant cutoff = clock.instant().minusSeconds(1);
        c.writes().touch("sha256:touched");
        List<String> asked = new ArrayList<>();

        List<String> removed = c.writes().using(List.of("sha256:inflight"), () -> c.writes().removeAllUnlessRecent(
                List.of("sha256:touched", "sha256:inflight", "sha256:old1", "sha256:old2"), cutoff, eligible -> {
                    asked.addAll(eligible);
                    return List.of("sha256:old2");
                }));

        assertThat(asked).containsExactly("sha256:old1", "sha256:old2");
        assertThat(removed).containsExactly("sha256:old2");
        assertThat(c.writes().removeAllUnlessRecent(List.of("sha256:touched"), cutoff, eligible -> eligible))
                .as("nothing eligible: the removal is not even asked").isEmpty();
    }

    @Test
    void writes_touchDuringBatchRemoval_waitsUntilTheBatchEnds() throws Exception {
        Coordination c = coordination();
        Instant cutoff = clock.instant().minusSeconds(1);
        CountDownLatch removing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean removalEnded = new java.util.concurrent.atomic.AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<List<String>> batch = pool.submit(() -> c.writes().removeAllUnlessRecent(
                    List.of("sha256:a", "sha256:b"), cutoff, eligible -> {
                        removing.countDown();
                        try {
                            finish.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException("test interrupted");
                        }
                        removalEnded.set(true);
                        return eligible;
                    }));
            assertThat(removing.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> touch = pool.submit(() -> {
                c.writes().touch("sha256:b");
                return removalEnded.get();
            });
            assertThatThrownBy(() -> touch.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            finish.countDown();

            assertThat(batch.get(30, TimeUnit.SECONDS)).containsExactly("sha256:a", "sha256:b");
            assertThat(touch.get(30, TimeUnit.SECONDS)).as("the touch came after the removal").isTrue();
        }
    }
}
