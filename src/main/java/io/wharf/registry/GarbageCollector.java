package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark-and-sweep garbage collection over one {@link Registry}, safe to run while the same process
 * serves pushes and pulls (see docs/GC.md for the argument):
 * <ol>
 *   <li>retention rules remove expired tags;</li>
 *   <li>mark: per repository, everything reachable from tags (and from every revision unless
 *       untagged manifests are deleted, and from revisions newer than the grace period);</li>
 *   <li>untagged revisions nothing reaches are deleted (with {@code deleteUntagged});</li>
 *   <li>sweep: blobs not marked, older than the grace period and not touched by a writer since, are
 *       deleted, with repository links to them;</li>
 *   <li>repositories left with nothing are removed from storage and the catalog.</li>
 * </ol>
 * One run at a time per instance; a second concurrent call fails at once.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** Thrown when a collection is already running in this process. */
    public static final class BusyException extends IllegalStateException {
        BusyException() {
            this("a garbage collection is already running");
        }

        BusyException(String why) {
            super(why);
        }
    }

    private final Registry registry;
    private final GcMetrics metrics;
    /**
     * How long the lease outlives an instance that stops renewing it (killed mid-collection, or cut off from Redis):
     * short, so that another instance may collect soon after.
     */
    private static final Duration LEASE_TTL = Duration.ofMinutes(2);
    private static final Duration LEASE_RENEWAL = Duration.ofSeconds(20);
    /** Renews the leases of running collections; one daemon thread for every collector of the process. */
    private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("wharf-gc-lease").factory());
    private static final String INSTANCE = java.util.UUID.randomUUID().toString();
    /**
     * Storage requests the collector keeps in flight at once: an object store answers each in milliseconds, so the
     * mark's reads and the sweep's deletes run side by side, within the client's connection pool (256 for S3).
     */
    static final int PARALLEL_REQUESTS = 32;
    private final ReentrantLock running = new ReentrantLock();
    private final StorageLease copies;
    private final Fanout fanout = new Fanout(PARALLEL_REQUESTS);

    public GarbageCollector(Registry registry, GcMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.copies = new StorageLease(registry.driver(), new com.fasterxml.jackson.databind.ObjectMapper(),
                registry.clock());
    }

    /**
     * Runs one collection.
     *
     * @throws BusyException when another collection is running
     * @throws io.wharf.spec.RegistryException {@code UNSUPPORTED} for a real run in read-only mode
     * @throws IOException on storage errors, or when a manifest cannot be parsed (then nothing is swept)
     */
    public GcReport run(GcOptions options) throws IOException {
        if (!options.dryRun()) {
            registry.checkWritable();
        }
        if (!running.tryLock()) {
            throw new BusyException();
        }
        Optional<Coordination.Lease> lease;
        try {
            // One collection at a time across every instance sharing the storage (with shared coordination).
            lease = registry.coordination().tryLease("gc", INSTANCE + " pid " + ProcessHandle.current().pid(),
                    LEASE_TTL);
        } catch (IOException | RuntimeException e) {
            running.unlock();
            metrics.failed();
            LOG.warn("gc: could not take the collection's lease: {}", e.toString());
            throw e;
        }
        if (lease.isEmpty()) {
            running.unlock();
            throw new BusyException("a garbage collection is running on another instance");
        }
        ScheduledFuture<?> renewal = RENEWALS.scheduleWithFixedDelay(() -> renew(lease.get()),
                LEASE_RENEWAL.toMillis(), LEASE_RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            refuseWhileCopying();
            GcReport report = collect(options, registry.activity().fencedBy(lease.get()));
            metrics.succeeded(report);
            LOG.info("gc: {}{} in {} ms", options.dryRun() ? "dry run: " : "", report.summary(),
                    report.duration().toMillis());
            return report;
        } catch (IOException | RuntimeException e) {
            metrics.failed();
            LOG.warn("gc: failed: {}", e.toString());
            throw e;
        } finally {
            renewal.cancel(false);
            try {
                lease.get().release();
            } catch (IOException | RuntimeException e) {
                LOG.warn("gc: could not give the lease up (it expires within {} s): {}", LEASE_TTL.toSeconds(),
                        e.toString());
            }
            running.unlock();
        }
    }

    /**
     * Keeps the lease while the collection runs. A lease that cannot be renewed is left to expire: the collection's
     * removals check it ({@link WriteActivity#fencedBy}) and stop deleting once it is gone.
     */
    private static void renew(Coordination.Lease lease) {
        try {
            if (!lease.renew(LEASE_TTL)) {
                LOG.warn("gc: the collection's lease is gone; the collection deletes nothing more");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("gc: could not renew the collection's lease: {}", e.toString());
        }
    }

    /** A backup or restore copying the storage must find every blob it listed: nothing is deleted meanwhile. */
    private void refuseWhileCopying() throws IOException {
        var copy = copies.liveCopy();
        if (copy.isPresent()) {
            throw new BusyException("a backup or restore is copying this storage (" + copy.get().owner()
                    + "); garbage collection waits until it is done");
        }
    }

    private GcReport collect(GcOptions options, WriteActivity activity) throws IOException {
        Instant start = registry.clock().instant();
        Instant cutoff = start.minus(options.gracePeriod());
        List<RepositoryName> repos = registry.repositories().scanStorage();
        Retention retention = new Retention(registry.tags(), registry.pulls(), activity);
        List<TagRef> expired = retention.plan(options.retention(), repos, start);
        List<TagRef> tagsRemoved = options.dryRun() ? expired : retention.apply(expired, start);
        List<String> evicted = evict(options, repos, start, cutoff, activity);
        LOG.info("gc: marking {} repositories (grace {}, delete untagged {})", repos.size(),
                options.gracePeriod(), options.deleteUntagged());

        ManifestReferences references = new ManifestReferences(registry.driver(), registry.parser(),
                registry.knownManifests());
        RepositoryMarker marker = new RepositoryMarker(registry.driver(), registry.tags(), references,
                options.dryRun() ? Set.copyOf(expired) : Set.of());
        Set<Digest> marked = ConcurrentHashMap.newKeySet();
        List<RepositoryMarker.Marks> all = fanout.map(repos, repo -> {
            boolean cache = options.caches().stream().anyMatch(c -> c.repositories().matches(repo.value()));
            RepositoryMarker.Marks marks = marker.mark(repo, options.deleteUntagged(), cutoff, cache);
            marked.addAll(marks.marked());
            return marks.withoutMarked();
        });
        List<String> missing = new ArrayList<>();
        all.forEach(marks -> marks.missingManifests().forEach(d -> missing.add(marks.repo() + "@" + d)));
        LOG.info("gc: marked {} manifests and blobs", marked.size());

        if (!options.dryRun()) {
            // Checked again before anything is deleted: a backup that started while this collection marked.
            refuseWhileCopying();
        }
        List<String> manifestsDeleted = deleteUnreachable(all, options.dryRun(), cutoff, marker, marked, activity);
        BlobSweeper.Result swept = new BlobSweeper(registry.driver(), registry.blobs(), registry.manifestStore(),
                activity, fanout).sweep(marked, cutoff, options.dryRun());
        LOG.info("gc: {} {} blobs", options.dryRun() ? "would sweep" : "swept", swept.swept().size());
        if (!options.dryRun()) {
            references.forget(swept.swept());
        }
        int links = removeLinks(all, swept.swept(), options.dryRun(), cutoff, activity);
        List<String> reposRemoved = options.dryRun() ? List.of() : removeEmpty(all, cutoff, activity);
        activity.forgetBefore(cutoff);
        return new GcReport(options.dryRun(), start, Duration.between(start, registry.clock().instant()),
                repos.size(), marked.size(), tagsRemoved.stream().map(TagRef::toString).toList(), manifestsDeleted,
                swept.swept().stream().map(Digest::toString).toList(), swept.bytes(), links, reposRemoved,
                swept.keptInGrace(), missing, evicted);
    }

    /** Evicts from each mirror cache what its policy no longer allows; a dry run only lists it. */
    private List<String> evict(GcOptions options, List<RepositoryName> repos, Instant start, Instant cutoff,
            WriteActivity activity) throws IOException {
        CacheEviction eviction = new CacheEviction(registry);
        List<String> evicted = new ArrayList<>();
        for (CachePolicy cache : options.caches()) {
            if (!cache.limits()) {
                continue;
            }
            CacheEviction.Plan plan = eviction.plan(cache, repos, start, cutoff);
            List<String> done = options.dryRun() ? plan.evictions().stream().map(Object::toString).toList()
                    : eviction.apply(plan, start, activity);
            if (!options.dryRun()) {
                metrics.evicted(cache.name(), done.size(), plan.bytesAfter());
            }
            if (!done.isEmpty()) {
                LOG.info("gc: cache {} held {} bytes (cap {}); {} {} roots", cache.name(), plan.before().bytes(),
                        cache.maxBytes(), options.dryRun() ? "would evict" : "evicted", done.size());
            }
            evicted.addAll(done);
        }
        return evicted;
    }

    /**
     * Deletes unreachable revisions; a revision a writer touched meanwhile survives, and then
     * everything it reaches is marked too, so its image stays complete.
     */
    private List<String> deleteUnreachable(List<RepositoryMarker.Marks> all, boolean dryRun, Instant cutoff,
            RepositoryMarker marker, Set<Digest> marked, WriteActivity activity) throws IOException {
        List<Digest> survivors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> deleted = new ArrayList<>();
        fanout.map(all, marks -> {
            Map<Digest, RepositoryMarker.Revision> unreachable = new java.util.LinkedHashMap<>();
            marks.unreachable().forEach(r -> unreachable.put(r.digest(), r));
            List<Digest> gone = dryRun || unreachable.isEmpty() ? List.copyOf(unreachable.keySet())
                    : activity.removeAllUnlessRecent(List.copyOf(unreachable.keySet()), cutoff,
                            eligible -> {
                                registry.manifestStore().removeRevisions(marks.repo(),
                                        eligible.stream().map(unreachable::get).toList());
                                return eligible;
                            });
            Set<Digest> removed = new HashSet<>(gone);
            unreachable.keySet().stream().filter(d -> !removed.contains(d)).forEach(survivors::add);
            return gone.stream().map(d -> marks.repo() + "@" + d).toList();
        }).forEach(deleted::addAll);
        marker.markFrom(survivors, Map.of(), marked);
        if (!deleted.isEmpty()) {
            LOG.info("gc: {} {} untagged manifests", dryRun ? "would delete" : "deleted", deleted.size());
        }
        return deleted;
    }

    /**
     * Removes the repositories' links to swept blobs, a batch of digests at a time under their removal locks; a
     * digest touched since the sweep (pushed again) keeps its links.
     */
    private int removeLinks(List<RepositoryMarker.Marks> all, List<Digest> swept, boolean dryRun, Instant cutoff,
            WriteActivity activity) throws IOException {
        Set<Digest> gone = new HashSet<>(swept);
        Map<Digest, List<RepositoryName>> linked = new HashMap<>();
        for (RepositoryMarker.Marks marks : all) {
            for (Digest d : marks.layerLinks()) {
                if (gone.contains(d)) {
                    linked.computeIfAbsent(d, k -> new ArrayList<>()).add(marks.repo());
                }
            }
        }
        if (dryRun) {
            return linked.values().stream().mapToInt(List::size).sum();
        }
        List<Digest> digests = List.copyOf(linked.keySet());
        List<List<Digest>> batches = new ArrayList<>();
        for (int from = 0; from < digests.size(); from += BlobSweeper.BATCH) {
            batches.add(digests.subList(from, Math.min(digests.size(), from + BlobSweeper.BATCH)));
        }
        int removed = 0;
        for (int n : fanout.map(batches, batch -> {
            int[] count = {0};
            activity.removeAllUnlessRecent(batch, cutoff, eligible -> {
                Map<Digest, List<RepositoryName>> these = new HashMap<>();
                eligible.forEach(d -> these.put(d, linked.get(d)));
                count[0] = registry.repositoryBlobs().unlinkSwept(these);
                return eligible;
            });
            return count[0];
        })) {
            removed += n;
        }
        return removed;
    }

    /**
     * Removes the repositories this collection left without any file. One that still has a tag or a revision the
     * mark reached is not even looked at: it is not empty.
     */
    private List<String> removeEmpty(List<RepositoryMarker.Marks> all, Instant cutoff, WriteActivity activity)
            throws IOException {
        List<RepositoryName> maybeEmpty = all.stream().filter(m -> !m.holdsManifests())
                .map(RepositoryMarker.Marks::repo).toList();
        List<Boolean> gone = fanout.map(maybeEmpty, repo -> RepositoryContents.isEmpty(registry.driver(), repo)
                && activity.removeUnlessRecent(repo, cutoff, () -> registry.removeIfEmpty(repo)));
        List<String> removed = new ArrayList<>();
        for (int i = 0; i < maybeEmpty.size(); i++) {
            if (gone.get(i)) {
                removed.add(maybeEmpty.get(i).value());
            }
        }
        return removed;
    }
}
