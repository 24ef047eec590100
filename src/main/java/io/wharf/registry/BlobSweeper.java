package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sweep phase: deletes every blob of the store that the mark phase did not reach, unless it was
 * written or used at or after the grace cut-off. The blob store is read shard by shard
 * ({@code blobs/<algorithm>/<two hex digits>}), each shard with one {@link StorageDriver#walkFiles} and
 * many shards at once (each blob's size and age come from the listing), and blobs are deleted
 * in batches of {@link #BATCH}: each batch holds its digests' {@link WriteActivity} locks, leaves out
 * those a writer touched meanwhile, and deletes the rest with one {@link StorageDriver#deleteFiles}.
 */
final class BlobSweeper {
    /** Blobs per batch: one S3 {@code DeleteObjects} request holds at most 1,000 keys. */
    static final int BATCH = 1_000;

    /**
     * @param swept the blobs deleted (or, in a dry run, that would be)
     * @param bytes their total size
     * @param keptInGrace unmarked blobs kept because they are recent or in use
     */
    record Result(List<Digest> swept, long bytes, int keptInGrace) {
    }

    private final StorageDriver driver;
    private final BlobStore blobs;
    private final Manifests manifests;
    private final WriteActivity activity;
    private final Fanout fanout;

    BlobSweeper(StorageDriver driver, BlobStore blobs, Manifests manifests, WriteActivity activity, Fanout fanout) {
        this.driver = driver;
        this.blobs = blobs;
        this.manifests = manifests;
        this.activity = activity;
        this.fanout = fanout;
    }

    Result sweep(Set<Digest> marked, Instant cutoff, boolean dryRun) throws IOException {
        Map<Digest, Long> candidates = new HashMap<>();
        int recent = 0;
        for (Shard shard : fanout.map(shards(), path -> scan(path, marked, cutoff, dryRun))) {
            candidates.putAll(shard.candidates());
            recent += shard.recent();
        }
        List<Digest> order = candidates.keySet().stream().sorted(java.util.Comparator.comparing(Digest::toString))
                .toList();
        List<Digest> swept = dryRun ? order : delete(order, cutoff);
        long bytes = swept.stream().mapToLong(candidates::get).sum();
        return new Result(swept, bytes, recent + order.size() - swept.size());
    }

    /** What one shard holds: unmarked blobs old enough to go (with their sizes), and how many were too recent. */
    private record Shard(Map<Digest, Long> candidates, int recent) {
    }

    /**
     * The directories {@link StorageLayout#BLOB_SHARD_LEVELS} below the blob store, to be walked independently:
     * an object store lists a prefix one page after another, so one walk of a large store is a long chain of
     * round trips, where a walk per shard runs many chains side by side. Empty without a blob store.
     */
    private List<String> shards() throws IOException {
        List<String> level = List.of(StorageLayout.BLOBS);
        for (int depth = 0; depth < StorageLayout.BLOB_SHARD_LEVELS; depth++) {
            level = Directories.children(driver, fanout, level);
        }
        return level;
    }

    private Shard scan(String shard, Set<Digest> marked, Instant cutoff, boolean dryRun) throws IOException {
        Map<Digest, Long> candidates = new HashMap<>();
        int[] recent = {0};
        try {
            driver.walkFiles(shard, info -> {
                Digest d = StorageLayout.blobDigestOf(info.path());
                if (d != null && !marked.contains(d)) {
                    // A real run asks the writers' guard once per batch, under the batch's locks; asking it here
                    // too would cost one round trip per blob with a shared (Redis) guard.
                    if (info.modified().isBefore(cutoff) && (!dryRun || activity.lastTouched(d).isBefore(cutoff))) {
                        candidates.put(d, info.size());
                    } else {
                        recent[0]++;
                    }
                }
            });
        } catch (PathNotFoundException e) {
            // The shard was emptied and removed since it was listed: nothing in it to sweep.
        }
        return new Shard(candidates, recent[0]);
    }

    private List<Digest> delete(List<Digest> candidates, Instant cutoff) throws IOException {
        List<List<Digest>> batches = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += BATCH) {
            batches.add(candidates.subList(from, Math.min(candidates.size(), from + BATCH)));
        }
        List<Digest> swept = new ArrayList<>(candidates.size());
        fanout.map(batches, batch -> activity.removeAllUnlessRecent(batch, cutoff, eligible -> {
            blobs.deleteAll(eligible);
            eligible.forEach(manifests::forget);
            return eligible;
        })).forEach(swept::addAll);
        return swept;
    }
}
