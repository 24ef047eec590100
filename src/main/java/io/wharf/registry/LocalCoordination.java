package io.wharf.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * {@link Coordination} within one process: a reentrant lock per key (never lost), leases in memory with their
 * expiry read from the clock, the in-process {@link ActivityGuard}, and change notices delivered to this process's
 * listeners only. Correct for one instance per storage; several instances need a shared implementation.
 */
public final class LocalCoordination implements Coordination {
    /**
     * The locks held or awaited, by key; a key's entry goes when its last user is done, so the table holds only
     * keys in use. One lock per key, not a fixed set of stripes: an upload holds its lock while its client sends
     * the body, and with stripes an unrelated upload hashing to the same stripe waited for that client, up to
     * the slow-client cut-off (20 s), one in four with 300 such uploads in flight (ManyWaitingRequestsTest).
     */
    private final Map<String, KeyLock> locks = new ConcurrentHashMap<>();

    private final Clock clock;
    private final Map<String, LocalLease> leases = new ConcurrentHashMap<>();
    private final ActivityGuard activity;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public LocalCoordination(Clock clock) {
        this.clock = clock;
        this.activity = new ActivityGuard(clock);
    }

    @Override
    public Held lock(String key) throws IOException {
        KeyLock entry = locks.compute(key, (k, current) -> (current == null ? new KeyLock() : current).use());
        ReentrantLock lock = entry.lock;
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            done(key);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock of " + key, e);
        }
        return new Held() {
            private boolean released;

            @Override
            public boolean held() {
                return !released;
            }

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    lock.unlock();
                    done(key);
                }
            }
        };
    }

    /** One user of the key's lock is done: the entry goes with its last user. */
    private void done(String key) {
        locks.computeIfPresent(key, (k, entry) -> entry.release() ? null : entry);
    }

    /** A key's lock and how many threads hold or await it; the count changes only inside the table's compute. */
    private static final class KeyLock {
        final ReentrantLock lock = new ReentrantLock();
        private int users;

        KeyLock use() {
            users++;
            return this;
        }

        /** Returns whether no user is left. */
        boolean release() {
            return --users == 0;
        }
    }

    @Override
    public Optional<Lease> tryLease(String name, String owner, Duration ttl) {
        Instant now = clock.instant();
        LocalLease wanted = new LocalLease(name, owner, now.plus(ttl));
        LocalLease holder = leases.compute(name, (n, current) ->
                current == null || !current.expiresAt().isAfter(now) || current.owner().equals(owner) ? wanted : current);
        return holder == wanted ? Optional.of(wanted) : Optional.empty();
    }

    @Override
    public WriteActivity writes() {
        return activity;
    }

    @Override
    public void changed(String key) {
        listeners.forEach(l -> l.accept(key));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** A lease in memory; renewing or releasing checks that it is still this one in the table. */
    private final class LocalLease implements Lease {
        private final String name;
        private final String owner;
        private volatile Instant expiresAt;

        LocalLease(String name, String owner, Instant expiresAt) {
            this.name = name;
            this.owner = owner;
            this.expiresAt = expiresAt;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public boolean renew(Duration ttl) {
            Instant now = clock.instant();
            boolean[] renewed = {false};
            leases.computeIfPresent(name, (n, current) -> {
                if (current == this && expiresAt.isAfter(now)) {
                    expiresAt = now.plus(ttl);
                    renewed[0] = true;
                }
                return current;
            });
            return renewed[0];
        }

        @Override
        public void release() {
            leases.remove(name, this);
        }
    }
}
