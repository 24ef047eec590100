package io.wharf.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one garbage collection (or what a dry run would do). Lists name content as
 * {@code repository@digest}, {@code repository:tag} or a bare digest.
 *
 * @param dryRun whether nothing was changed
 * @param startedAt when the run started
 * @param duration how long it took
 * @param repositories repositories examined
 * @param marked distinct manifests and blobs kept because something reaches them
 * @param tagsRemoved tags removed by retention rules
 * @param manifestsDeleted untagged manifest revisions deleted
 * @param blobsDeleted blobs deleted from the blob store
 * @param bytesFreed their total size
 * @param layerLinksRemoved repository links to deleted blobs that were removed
 * @param repositoriesRemoved repositories left with nothing, removed from the catalog
 * @param keptInGrace unreferenced blobs kept because they are newer than the grace period or in use
 * @param missingManifests manifests a tag or index refers to whose content is missing (reported by scrub too)
 * @param evicted tags and untagged manifests evicted from mirror caches (by age or size)
 */
public record GcReport(boolean dryRun, Instant startedAt, Duration duration, int repositories, int marked,
        List<String> tagsRemoved, List<String> manifestsDeleted, List<String> blobsDeleted, long bytesFreed,
        int layerLinksRemoved, List<String> repositoriesRemoved, int keptInGrace, List<String> missingManifests,
        List<String> evicted) {
    public GcReport {
        tagsRemoved = List.copyOf(tagsRemoved);
        manifestsDeleted = List.copyOf(manifestsDeleted);
        blobsDeleted = List.copyOf(blobsDeleted);
        repositoriesRemoved = List.copyOf(repositoriesRemoved);
        missingManifests = List.copyOf(missingManifests);
        evicted = List.copyOf(evicted);
    }

    /** One line in the words of Distribution's {@code garbage-collect}, plus bytes. */
    public String summary() {
        return "%d blobs marked, %d blobs and %d manifests %s, %d bytes%s".formatted(marked, blobsDeleted.size(),
                manifestsDeleted.size(), dryRun ? "eligible for deletion" : "deleted", bytesFreed,
                tagsRemoved.isEmpty() ? "" : ", " + tagsRemoved.size() + " tags " + (dryRun ? "would be " : "")
                        + "removed by retention")
                + (evicted.isEmpty() ? "" : ", " + evicted.size() + " " + (dryRun ? "would be " : "")
                        + "evicted from mirror caches");
    }
}
