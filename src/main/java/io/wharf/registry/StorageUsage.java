package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What uses the space: bytes per repository, counting a blob once per repository however many of its manifests share
 * it, and how much of that only this repository references (what deleting it and collecting would free); totals for
 * the registry, and the bytes stored that nothing references (what the next collection can free).
 *
 * <p>A repository references every blob its manifest revisions reach (config, layers, index children, referrers),
 * as garbage collection marks them without {@code --delete-untagged}. Computing a report reads every repository's
 * manifests and lists the blob store once; the last report is kept and served until the next is asked for, and one
 * computation runs at a time (callers meanwhile wait for it and share its result).
 */
public final class StorageUsage {
    /**
     * One repository's usage.
     *
     * @param name the repository
     * @param bytes the blobs it references, each once
     * @param uniqueBytes the part no other repository references
     * @param blobs how many blobs it references
     */
    public record RepositoryUsage(String name, long bytes, long uniqueBytes, int blobs) {
    }

    /**
     * A report.
     *
     * @param computedAt when it was computed
     * @param took how long that took
     * @param storedBytes bytes of every blob in storage
     * @param storedBlobs how many blobs are in storage
     * @param referencedBytes bytes of the blobs some repository references, each once
     * @param referencedBlobs how many those are
     * @param repositories usage by repository name
     */
    public record Report(Instant computedAt, Duration took, long storedBytes, int storedBlobs, long referencedBytes,
            int referencedBlobs, Map<String, RepositoryUsage> repositories) {
        public Report {
            repositories = Map.copyOf(repositories);
        }

        /** Bytes in storage that no repository references: what garbage collection can free (grace aside). */
        public long unreferencedBytes() {
            return Math.max(0, storedBytes - referencedBytes);
        }

        /** Each repository's bytes, for sorting listings by size. */
        public Map<String, Long> bytesByRepository() {
            Map<String, Long> out = new HashMap<>();
            repositories.forEach((name, u) -> out.put(name, u.bytes()));
            return out;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StorageUsage.class);
    private final Registry registry;
    private final AtomicReference<Report> latest = new AtomicReference<>();
    private final ReentrantLock computing = new ReentrantLock();
    /** Reports measured before this are out of date ({@link #refreshAfterChange}). */
    private final AtomicReference<Instant> staleSince = new AtomicReference<>(Instant.MIN);
    private final java.util.concurrent.atomic.AtomicBoolean background = new java.util.concurrent.atomic.AtomicBoolean();

    public StorageUsage(Registry registry) {
        this.registry = registry;
    }

    /** The last report computed, if any. */
    public Optional<Report> latest() {
        return Optional.ofNullable(latest.get());
    }

    /**
     * The last report without waiting; when there is none, or it is older than {@code maxAge}, a new one is computed
     * in the background (one at a time) for later callers.
     */
    public Optional<Report> latestRefreshing(Duration maxAge) {
        Report r = latest.get();
        boolean old = r == null || r.computedAt().plus(maxAge).isBefore(registry.clock().instant());
        if (old && background.compareAndSet(false, true)) {
            computeInBackground("storage-usage", () -> background.set(false));
        }
        return Optional.ofNullable(r);
    }

    /**
     * The last report, computing one first when there is none or it predates {@link #refreshAfterChange}: then
     * the caller waits for the measurement started there rather than starting another.
     */
    public Report current() throws IOException {
        Report r = latest.get();
        Instant since = staleSince.get();
        return r != null && !r.computedAt().isBefore(since) ? r : computeSince(since);
    }

    /**
     * Says the storage changed a lot (a collection deleted blobs): {@link #current} no longer answers from the last
     * report, and a new one is measured now, in the background, so that the caller that changed the storage does
     * not wait for it.
     */
    public void refreshAfterChange() {
        staleSince.set(registry.clock().instant());
        computeInBackground("storage-usage-after-change", () -> { });
    }

    /** Runs {@link #compute} on a virtual thread, logging a failure, then {@code done}. */
    private void computeInBackground(String name, Runnable done) {
        Thread.ofVirtual().name(name).start(() -> {
            try {
                compute();
            } catch (IOException | RuntimeException e) {
                LOG.warn("storage usage: {}", e.toString());
            } finally {
                done.run();
            }
        });
    }

    /**
     * Computes a new report and keeps it. A caller arriving while another computes waits and gets that one's
     * report when it started after the caller asked; otherwise it computes again.
     */
    public Report compute() throws IOException {
        return computeSince(registry.clock().instant());
    }

    /** A report measured no earlier than {@code since}: one kept, or one waited for, or a new one. */
    private Report computeSince(Instant since) throws IOException {
        computing.lock();
        try {
            Report r = latest.get();
            if (r != null && !r.computedAt().isBefore(since)) {
                return r;
            }
            Report fresh = measure();
            latest.set(fresh);
            return fresh;
        } finally {
            computing.unlock();
        }
    }

    private Report measure() throws IOException {
        Instant start = registry.clock().instant();
        long began = System.nanoTime();
        Map<Digest, Long> stored = storedBlobs();
        // The collector's cache: after the first measurement (or collection) no unchanged manifest is read again.
        ManifestReferences references = new ManifestReferences(registry.driver(), registry.parser(),
                registry.knownManifests());
        RepositoryMarker marker = new RepositoryMarker(registry.driver(), registry.tags(), references, Set.of());
        List<String> names = registry.repositories().page(null, Integer.MAX_VALUE);
        Map<String, Set<Digest>> reached = new HashMap<>();
        Map<Digest, Integer> holders = new HashMap<>();
        for (String name : names) {
            Set<Digest> marked = new HashSet<>();
            // Every revision is a root (no untagged deletion), and nothing is in a grace period.
            marked.addAll(marker.mark(RepositoryName.parse(name), false, Instant.MIN).marked());
            marked.retainAll(stored.keySet());
            marked.forEach(d -> holders.merge(d, 1, Integer::sum));
            reached.put(name, marked);
        }
        Map<String, RepositoryUsage> repos = new HashMap<>();
        for (var e : reached.entrySet()) {
            long bytes = 0;
            long unique = 0;
            for (Digest d : e.getValue()) {
                long size = stored.get(d);
                bytes += size;
                if (holders.get(d) == 1) {
                    unique += size;
                }
            }
            repos.put(e.getKey(), new RepositoryUsage(e.getKey(), bytes, unique, e.getValue().size()));
        }
        long storedBytes = stored.values().stream().mapToLong(Long::longValue).sum();
        long referenced = holders.keySet().stream().mapToLong(stored::get).sum();
        return new Report(start, Duration.ofNanos(System.nanoTime() - began), storedBytes, stored.size(), referenced,
                holders.size(), repos);
    }

    /** Every blob in storage and its size, from one walk of the blob store. */
    private Map<Digest, Long> storedBlobs() throws IOException {
        Map<Digest, Long> sizes = new HashMap<>();
        try {
            registry.driver().walk(StorageLayout.BLOBS, (FileInfo info) -> {
                Digest d = info.directory() ? null : StorageLayout.blobDigestOf(info.path());
                if (d != null) {
                    sizes.put(d, info.size());
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException empty) {
            return sizes;
        }
        return sizes;
    }
}
