package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * When each tag was last pulled, for retention's "pulled within" rule. A pull only updates memory,
 * so reads never write; {@link #flush} writes the pending times to {@link StorageLayout#pullRecord}
 * (the server does that every minute and at shutdown, never in read-only mode). Thread-safe.
 */
public final class PullRecords {
    private final StorageDriver driver;
    private final Clock clock;
    private final Map<TagRef, Instant> pending = new ConcurrentHashMap<>();

    PullRecords(StorageDriver driver, Clock clock) {
        this.driver = driver;
        this.clock = clock;
    }

    /**
     * Records a pull of the tag now (in memory), to the millisecond. The record is written only when the millisecond
     * moved on, never back: clients pulling one tag at once would otherwise all lock the same entry of the map on
     * every pull, and the order of pulls a millisecond apart still counts (a mirror's cache evicts by it).
     */
    public void pulled(RepositoryName repo, Tag tag) {
        TagRef ref = new TagRef(repo, tag);
        long now = clock.millis();
        Instant pendingPull = pending.get(ref);
        if (pendingPull == null || pendingPull.toEpochMilli() < now) {
            pending.merge(ref, Instant.ofEpochMilli(now), BinaryOperator.maxBy(Comparator.naturalOrder()));
        }
    }

    /**
     * Writes every pending pull time to storage. Durable when it returns.
     *
     * @return how many records were written
     */
    public int flush() throws IOException {
        int written = 0;
        for (var e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                driver.putContent(StorageLayout.pullRecord(e.getKey().repo(), e.getKey().tag()),
                        e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                written++;
            }
        }
        return written;
    }

    /** When the tag was last pulled, from memory or storage; empty when never recorded. */
    public Optional<Instant> lastPulled(RepositoryName repo, Tag tag) throws IOException {
        Instant inMemory = pending.get(new TagRef(repo, tag));
        Optional<Instant> stored = stored(repo, tag);
        if (inMemory == null) {
            return stored;
        }
        return Optional.of(stored.filter(inMemory::isBefore).orElse(inMemory));
    }

    private Optional<Instant> stored(RepositoryName repo, Tag tag) throws IOException {
        try {
            String text = new String(driver.getContent(StorageLayout.pullRecord(repo, tag)), StandardCharsets.UTF_8);
            return Optional.of(Instant.parse(text.trim()));
        } catch (PathNotFoundException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Removes the records of a tag that was deleted. */
    void forget(RepositoryName repo, Tag tag) throws IOException {
        pending.remove(new TagRef(repo, tag));
        try {
            driver.delete(StorageLayout.pullRecord(repo, tag));
        } catch (PathNotFoundException e) {
            // Never pulled.
        }
    }

    /** Removes every record of a repository that was removed. */
    void forgetRepository(RepositoryName repo) throws IOException {
        pending.keySet().removeIf(k -> k.repo().equals(repo));
        try {
            driver.delete(StorageLayout.pullRecords(repo));
        } catch (PathNotFoundException e) {
            // Never pulled.
        }
    }
}
