package io.wharf.sync;

import java.util.List;

/**
 * What one copy moves.
 *
 * @param repositories repository names or globs at the source ({@code team/*}, {@code library/alpine}); a glob
 *     needs the source's catalog, a plain name does not (Docker Hub has no catalog)
 * @param tags tag globs; empty copies every tag
 * @param prefix prepended to each repository's name at the destination ({@code hub/}); empty keeps the names
 * @param dryRun list what would move and change nothing
 * @param referrers copy the manifests that refer to each copied image (signatures, SBOMs), transitively
 * @param chunkSize bytes per upload request; an interrupted copy resumes at a chunk boundary
 * @param parallel blobs copied at once
 * @param retryPause the pause before the first retry of a broken transfer; doubled for each further one, up to 8 s
 */
public record SyncSpec(List<String> repositories, List<String> tags, String prefix, boolean dryRun,
        boolean referrers, long chunkSize, int parallel, java.time.Duration retryPause) {
    public static final long DEFAULT_CHUNK = 64L << 20;
    public static final int DEFAULT_PARALLEL = 3;
    public static final java.time.Duration DEFAULT_RETRY_PAUSE = java.time.Duration.ofSeconds(1);

    /** With the default retry pause. */
    public SyncSpec(List<String> repositories, List<String> tags, String prefix, boolean dryRun, boolean referrers,
            long chunkSize, int parallel) {
        this(repositories, tags, prefix, dryRun, referrers, chunkSize, parallel, DEFAULT_RETRY_PAUSE);
    }

    public SyncSpec {
        repositories = List.copyOf(repositories);
        tags = List.copyOf(tags);
        prefix = prefix == null ? "" : prefix;
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("name at least one repository or pattern to copy");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (chunkSize < 1 << 20) {
            throw new IllegalArgumentException("the chunk size must be at least 1 MiB");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
    }
}
