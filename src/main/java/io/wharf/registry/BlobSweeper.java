package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sweep phase: deletes every blob of the store that the mark phase did not reach, unless it was
 * written or used at or after the grace cut-off. Each deletion re-checks, under the blob's
 * {@link ActivityGuard} lock, that no writer touched it and that its data is still old.
 */
final class BlobSweeper {
    /**
     * @param swept the blobs deleted (or, in a dry run, that would be)
     * @param bytes their total size
     * @param keptInGrace unmarked blobs kept because they are recent or in use
     */
    record Result(List<Digest> swept, long bytes, int keptInGrace) {
    }

    private record Candidate(Digest digest, long size) {
    }

    private final StorageDriver driver;
    private final BlobStore blobs;
    private final Manifests manifests;
    private final WriteActivity activity;

    BlobSweeper(StorageDriver driver, BlobStore blobs, Manifests manifests, WriteActivity activity) {
        this.driver = driver;
        this.blobs = blobs;
        this.manifests = manifests;
        this.activity = activity;
    }

    Result sweep(Set<Digest> marked, Instant cutoff, boolean dryRun) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        int[] recent = {0};
        try {
            driver.walk(StorageLayout.BLOBS, (FileInfo info) -> {
                Digest d = info.directory() ? null : StorageLayout.blobDigestOf(info.path());
                if (d != null && !marked.contains(d)) {
                    if (info.modified().isBefore(cutoff) && activity.lastTouched(d).isBefore(cutoff)) {
                        candidates.add(new Candidate(d, info.size()));
                    } else {
                        recent[0]++;
                    }
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException e) {
            return new Result(List.of(), 0, 0);
        }
        return dryRun ? planned(candidates, recent[0]) : delete(candidates, cutoff, recent[0]);
    }

    private static Result planned(List<Candidate> candidates, int recent) {
        long bytes = candidates.stream().mapToLong(Candidate::size).sum();
        return new Result(candidates.stream().map(Candidate::digest).toList(), bytes, recent);
    }

    private Result delete(List<Candidate> candidates, Instant cutoff, int recent) throws IOException {
        List<Digest> swept = new ArrayList<>();
        long[] bytes = {0};
        int kept = recent;
        for (Candidate c : candidates) {
            boolean gone = activity.removeUnlessRecent(c.digest(), cutoff, () -> {
                long freed = blobs.deleteIfOlder(c.digest(), cutoff);
                manifests.forget(c.digest());
                bytes[0] += Math.max(0, freed);
                return freed >= 0;
            });
            if (gone) {
                swept.add(c.digest());
            } else {
                kept++;
            }
        }
        return new Result(swept, bytes[0], kept);
    }
}
