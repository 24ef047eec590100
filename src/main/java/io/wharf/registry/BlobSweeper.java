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
 * written or used at or after the grace cut-off. The blob store is read with one
 * {@link StorageDriver#walkFiles} (each blob's size and age come from the listing), and blobs are deleted
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
        int[] recent = {0};
        try {
            driver.walkFiles(StorageLayout.BLOBS, info -> {
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
            return new Result(List.of(), 0, 0);
        }
        List<Digest> order = candidates.keySet().stream().sorted(java.util.Comparator.comparing(Digest::toString))
                .toList();
        List<Digest> swept = dryRun ? order : delete(order, cutoff);
        long bytes = swept.stream().mapToLong(candidates::get).sum();
        return new Result(swept, bytes, recent[0] + order.size() - swept.size());
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
