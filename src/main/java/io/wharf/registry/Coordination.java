package io.wharf.registry;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the registry coordinates between its writers, its maintenance and, with shared storage, other
 * instances: per-key locks (a tag, an upload, a repository), leases (garbage collection, maintenance), the "is
 * anything writing this" guard the online collector consults, and cache invalidation. {@link LocalCoordination}
 * is the in-process implementation; a shared one (Redis, or the object store's conditional writes) makes the same
 * promises across processes.
 *
 * <p>Written for the shared case: a lock or lease can be lost (its holder stalled past the expiry, the shared
 * service restarted), so a holder checks {@link Held#held()} before it makes a change permanent, and a writer
 * re-reads the state it depends on after acquiring, never trusting what it read before.
 */
public interface Coordination {
    /**
     * Blocks until the caller holds the key's lock, or fails.
     *
     * @throws IOException when the lock cannot be had (the shared service is down, or the wait was interrupted)
     */
    Held lock(String key) throws IOException;

    /**
     * Takes the named lease for {@code ttl} when nobody else holds it (or the holder's expired).
     *
     * @return the lease, or empty when another owner holds it
     */
    Optional<Lease> tryLease(String name, String owner, Duration ttl) throws IOException;

    /** The guard writers touch before relying on content, and the online collector consults before removing it. */
    WriteActivity writes();

    /** Tells every cache, in this process and others sharing the storage, that what {@code key} names changed. */
    void changed(String key);

    /** {@link #changed} for many keys; an implementation may send the notices together. */
    default void changedAll(java.util.Collection<String> keys) {
        keys.forEach(this::changed);
    }

    /** Registers a cache to be told of changes ({@link #changed}); the listener must be quick and not throw. */
    void onChange(Consumer<String> listener);

    /** Blob sizes shared with the other instances, or {@link SharedSizes#NONE}. */
    default SharedSizes sharedSizes() {
        return SharedSizes.NONE;
    }

    /** A held lock. */
    interface Held extends AutoCloseable {
        /** False once the lock was lost; a holder checks before making a change permanent. */
        boolean held();

        /**
         * Refuses to go on once the lock was lost (Redis gone past the lock's expiry, or the holder stalled that
         * long): another instance may hold it now, so what this holder did is not acknowledged to its client.
         *
         * @throws CoordinationUnavailableException when the lock was lost
         */
        default void check(String what) throws CoordinationUnavailableException {
            if (!held()) {
                throw new CoordinationUnavailableException("lost the lock of " + what + " while working on it "
                        + "(Redis unreachable past the lock's expiry); not acknowledged, ask where it stands and retry",
                        null);
            }
        }

        /** Releases the lock; does nothing when it was lost. */
        @Override
        void close();
    }

    /** A held lease: an owner and an expiry, renewed while the work goes on. */
    interface Lease {
        String owner();

        Instant expiresAt();

        /**
         * Extends the lease by {@code ttl} from now.
         *
         * @return false when it was lost meanwhile (another owner took it after it expired): stop the work
         */
        boolean renew(Duration ttl) throws IOException;

        /** Gives the lease up. */
        void release() throws IOException;
    }
}
