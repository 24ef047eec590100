package io.wharf.registry;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writers' activity as the online garbage collector sees it: writers <em>touch</em> keys (digests, repository
 * names) before relying on that content, or run <em>using</em> them while their work is in flight; the collector
 * removes content only through {@link #removeUnlessRecent}, which never removes a key touched since its cut-off.
 * {@link ActivityGuard} is the in-process implementation.
 */
public interface WriteActivity {
    /** A removal done under the key's lock. */
    @FunctionalInterface
    interface Removal {
        /** Removes the content; returns whether anything was removed. */
        boolean remove() throws IOException;
    }

    /** An action run under a key's lock, or with keys in flight. */
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    /** Records that the key is in use now. Waits while a removal of the key is in progress. */
    void touch(Object key);

    /**
     * {@link #touch} for a read: when the shared coordination is unreachable the read goes on without it (a
     * collection cannot run then either), where a write would be refused.
     */
    default void touchForRead(Object key) {
        touch(key);
    }

    /** Runs the action with the keys in flight; each key is touched when the action ends. */
    <T> T using(Collection<?> keys, LockedAction<T> action) throws IOException;

    /** When the key was last touched, or {@link Instant#MIN}; {@link Instant#MAX} while it is in flight. */
    Instant lastTouched(Object key);

    /** Runs the removal unless the key was touched at or after {@code since}; returns whether it removed. */
    boolean removeUnlessRecent(Object key, Instant since, Removal removal) throws IOException;

    /** A removal of several keys' content, done while all of them are held. */
    @FunctionalInterface
    interface BatchRemoval<K> {
        /** Removes the content of the keys; returns those whose content it removed. */
        Collection<K> remove(List<K> keys) throws IOException;
    }

    /**
     * {@link #removeUnlessRecent} for many keys with one removal (one batch delete in storage): holds the lock of
     * every key, leaves out those in flight or touched at or after {@code since}, runs the removal over the rest,
     * and releases. Writers touching any of the keys wait meanwhile, so the same promise holds for each key: either
     * the removal ran first, or the writer's touch did and the key was left out. The default holds one key at a
     * time (correct, but one removal per key).
     *
     * @return the keys the removal reported removed
     */
    default <K> List<K> removeAllUnlessRecent(List<K> keys, Instant since, BatchRemoval<K> removal)
            throws IOException {
        List<K> removed = new ArrayList<>();
        for (K key : keys) {
            if (removeUnlessRecent(key, since, () -> !removal.remove(List.of(key)).isEmpty())) {
                removed.add(key);
            }
        }
        return removed;
    }

    /** Runs the action under the key's lock. */
    <T> T locked(Object key, LockedAction<T> action) throws IOException;

    /**
     * This activity for a collection holding {@code lease}: its removals run only while the lease is still held,
     * checked in the same step that takes the keys' removal locks, and otherwise throw
     * {@link CoordinationUnavailableException}. A shared coordination that lost its state (a Redis restarted empty)
     * lost the writers' touches with the lease, so a collection that went on would delete what writers touched
     * meanwhile. In-process activity cannot lose its state without its collection: the default is this activity.
     */
    default WriteActivity fencedBy(Coordination.Lease lease) {
        return this;
    }

    /** Drops touch records older than the cut-off, to bound memory. */
    void forgetBefore(Instant cutoff);
}
