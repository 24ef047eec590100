package io.wharf.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one garbage collection does.
 *
 * @param dryRun report what would be removed, change nothing
 * @param deleteUntagged delete manifest revisions no tag reaches (directly, as a child of an index,
 *     or as a referrer of a kept manifest), as Distribution's {@code --delete-untagged}
 * @param gracePeriod content written or used within this long before the run starts is never
 *     removed; zero for an offline collection with no server running
 * @param retention retention rules applied first; empty for none
 * @param caches the mirror caches: repositories whose content is evicted by age and size; empty for none
 */
public record GcOptions(boolean dryRun, boolean deleteUntagged, Duration gracePeriod, List<RetentionRule> retention,
        List<CachePolicy> caches) {
    public GcOptions {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative: " + gracePeriod);
        }
        retention = List.copyOf(retention);
        caches = List.copyOf(caches);
    }

    /** Without caches. */
    public GcOptions(boolean dryRun, boolean deleteUntagged, Duration gracePeriod, List<RetentionRule> retention) {
        this(dryRun, deleteUntagged, gracePeriod, retention, List.of());
    }

    /** The same options with another dry-run setting. */
    public GcOptions withDryRun(boolean dry) {
        return new GcOptions(dry, deleteUntagged, gracePeriod, retention, caches);
    }

    /** The same options with these caches. */
    public GcOptions withCaches(List<CachePolicy> newCaches) {
        return new GcOptions(dryRun, deleteUntagged, gracePeriod, retention, newCaches);
    }

    /** Distribution's offline semantics: no grace period, no retention. */
    public static GcOptions offline(boolean dryRun, boolean deleteUntagged) {
        return new GcOptions(dryRun, deleteUntagged, Duration.ZERO, List.of());
    }
}
