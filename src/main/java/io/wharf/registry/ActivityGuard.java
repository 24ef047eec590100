package io.wharf.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BinaryOperator;

/**
 * Coordinates this process's writers with the online garbage collector. A writer <em>touches</em> a
 * key (a blob or manifest {@link io.wharf.spec.Digest}, or a {@link io.wharf.spec.RepositoryName})
 * before it relies on that content existing; the collector removes content only inside
 * {@link #removeUnlessRecent}, which holds the same lock and skips anything touched since a
 * cut-off. So for every key either the collector removes it first (and the writer then sees it
 * absent), or the writer touches it first (and the collector leaves it).
 *
 * <p>A writer whose work takes a while (storing a manifest, completing an upload) runs it inside
 * {@link #using}: the keys count as <em>in flight</em> until it ends and are touched at the end, so
 * a collection that starts meanwhile leaves them alone however short its grace period.
 *
 * <p>Touches are kept in memory only; entries older than the longest grace period asked for are
 * dropped by {@link #forgetBefore}. They are recorded to the millisecond, rounded up (never earlier than they
 * happened), and touches of one key share its lock's read side, the removals and {@link #locked} actions its write
 * side: clients reading one popular blob at once would otherwise queue on one lock and all write one entry of the
 * map on every read. Thread-safe.
 */
public final class ActivityGuard implements WriteActivity {
    private static final int STRIPES = 1024;

    private final Clock clock;
    private final ReentrantReadWriteLock[] locks = new ReentrantReadWriteLock[STRIPES];
    private final Map<Object, Instant> touched = new ConcurrentHashMap<>();
    private final Map<Object, Integer> inFlight = new ConcurrentHashMap<>();

    public ActivityGuard(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantReadWriteLock();
        }
    }

    /** Records that the key is in use now. Waits while a removal of the key is in progress. */
    @Override
    public void touch(Object key) {
        Instant now = now();
        Lock lock = lockFor(key).readLock();
        lock.lock();
        try {
            record(key, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the action with the keys in flight; each key is touched when the action ends, whether it
     * succeeded or not.
     */
    @Override
    public <T> T using(java.util.Collection<?> keys, LockedAction<T> action) throws IOException {
        for (Object key : keys) {
            Lock lock = lockFor(key).readLock();
            lock.lock();
            try {
                inFlight.merge(key, 1, Integer::sum);
            } finally {
                lock.unlock();
            }
        }
        try {
            return action.run();
        } finally {
            for (Object key : keys) {
                Lock lock = lockFor(key).readLock();
                lock.lock();
                try {
                    record(key, now());
                    inFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** When the key was last touched, or {@link Instant#MIN}; {@link Instant#MAX} while it is in flight. */
    @Override
    public Instant lastTouched(Object key) {
        return inFlight.containsKey(key) ? Instant.MAX : touched.getOrDefault(key, Instant.MIN);
    }

    /**
     * Runs the removal under the key's lock unless the key is in flight or was touched at or after
     * {@code since}.
     *
     * @return true when the removal ran and removed something
     */
    @Override
    public boolean removeUnlessRecent(Object key, Instant since, Removal removal) throws IOException {
        Lock lock = lockFor(key).writeLock();
        lock.lock();
        try {
            if (!lastTouched(key).isBefore(since)) {
                return false;
            }
            return removal.remove();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds the stripes of all the keys, in ascending order so that two batches never wait on each other in a
     * cycle, while it filters and removes: writers of any of these keys wait for the batch, however many.
     */
    @Override
    public <K> java.util.List<K> removeAllUnlessRecent(java.util.List<K> keys, Instant since,
            BatchRemoval<K> removal) throws IOException {
        int[] stripes = keys.stream().mapToInt(k -> Math.floorMod(k.hashCode(), STRIPES)).distinct().sorted()
                .toArray();
        int held = 0;
        try {
            for (int stripe : stripes) {
                locks[stripe].writeLock().lock();
                held++;
            }
            java.util.List<K> eligible = keys.stream().filter(k -> lastTouched(k).isBefore(since)).toList();
            if (eligible.isEmpty()) {
                return java.util.List.of();
            }
            var gone = java.util.Set.copyOf(removal.remove(eligible));
            return eligible.stream().filter(gone::contains).toList();
        } finally {
            for (int i = held - 1; i >= 0; i--) {
                locks[stripes[i]].writeLock().unlock();
            }
        }
    }

    /**
     * Runs the action under the key's lock, so that check-then-write sequences on one key (an immutable
     * tag) do not interleave, and records the key as touched.
     */
    @Override
    public <T> T locked(Object key, LockedAction<T> action) throws IOException {
        Lock lock = lockFor(key).writeLock();
        lock.lock();
        try {
            record(key, now());
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Drops touch records older than the cut-off, to bound memory. */
    @Override
    public void forgetBefore(Instant cutoff) {
        touched.values().removeIf(t -> t.isBefore(cutoff));
    }

    /** How many keys are remembered (for tests and metrics). */
    public int size() {
        return touched.size();
    }

    private ReentrantReadWriteLock lockFor(Object key) {
        return locks[Math.floorMod(key.hashCode(), STRIPES)];
    }

    /** The clock's time rounded up to the millisecond. */
    private Instant now() {
        Instant now = clock.instant();
        Instant millis = now.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(now) ? now : millis.plusMillis(1);
    }

    /**
     * Records a touch unless one as late is recorded; the caller holds the key's lock. Two touches under the read
     * side may race: the later time wins whichever writes last.
     */
    private void record(Object key, Instant at) {
        Instant last = touched.get(key);
        if (last == null || last.isBefore(at)) {
            touched.merge(key, at, BinaryOperator.maxBy(Comparator.naturalOrder()));
        }
    }
}
