package io.wharf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.ManifestParser;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry domain, composed of small role objects over one {@link StorageDriver}. Built once
 * per server; holds no static state, so several can live in one JVM.
 */
public final class Registry {
    private final StorageDriver driver;
    private final BlobStore blobs;
    private final RepositoryBlobs repositoryBlobs;
    private final Uploads uploads;
    private final Tags tags;
    private final Manifests manifests;
    private final Referrers referrers;
    private final RepositoryIndex repositories;
    private final RegistryOptions options;
    private final ActivityGuard activity;
    private final PullRecords pulls;
    private final ManifestParser parser;
    private final Clock clock;

    public Registry(StorageDriver driver, RegistryOptions options, ObjectMapper json, Clock clock) {
        this.driver = driver;
        this.options = options;
        this.clock = clock;
        this.activity = new ActivityGuard(clock);
        this.parser = new ManifestParser(json);
        Links links = new Links(driver);
        this.blobs = new BlobStore(driver, options.blobCacheEntries());
        this.repositories = new RepositoryIndex(driver, options.catalogRefresh(), clock);
        this.repositoryBlobs = new RepositoryBlobs(blobs, links, repositories, activity);
        this.uploads = new Uploads(driver, blobs, repositoryBlobs, clock, activity);
        this.tags = new Tags(driver, links, options.linkCacheTtl());
        this.referrers = new Referrers(driver, links);
        this.pulls = new PullRecords(driver, clock);
        this.manifests = new Manifests(blobs, repositoryBlobs, links, tags, referrers, repositories,
                parser, options.manifestRules(), options.linkCacheTtl(),
                options.manifestCacheBytes(), activity, GlobPattern.compileAll(options.immutableTags()));
    }

    /**
     * Tunables of the domain.
     *
     * @param deleteEnabled whether deletes are allowed ({@code storage.delete.enabled})
     * @param readOnly whether every write is refused ({@code storage.maintenance.readonly})
     * @param manifestRules what manifest pushes must satisfy ({@code validation})
     * @param blobCacheEntries blob sizes remembered
     * @param manifestCacheBytes bytes of manifests kept in memory
     * @param linkCacheTtl how long tag and revision lookups are trusted without reading storage
     * @param catalogRefresh how often the repository list is rebuilt from storage
     * @param immutableTags glob patterns of tags that may not be moved once set ({@code immutabletags})
     */
    public record RegistryOptions(boolean deleteEnabled, boolean readOnly, ManifestRules manifestRules,
            long blobCacheEntries, long manifestCacheBytes, Duration linkCacheTtl, Duration catalogRefresh,
            List<String> immutableTags) {
        public RegistryOptions {
            immutableTags = List.copyOf(immutableTags);
        }

        public static RegistryOptions defaults() {
            return new RegistryOptions(false, false, ManifestRules.defaults(), 100_000, 64L << 20, Duration.ofSeconds(5),
                    Duration.ofSeconds(30), List.of());
        }

        public RegistryOptions withDelete(boolean enabled) {
            return new RegistryOptions(enabled, readOnly, manifestRules, blobCacheEntries, manifestCacheBytes,
                    linkCacheTtl, catalogRefresh, immutableTags);
        }

        public RegistryOptions withReadOnly(boolean enabled) {
            return new RegistryOptions(deleteEnabled, enabled, manifestRules, blobCacheEntries,
                    manifestCacheBytes, linkCacheTtl, catalogRefresh, immutableTags);
        }

        public RegistryOptions withManifestRules(ManifestRules rules) {
            return new RegistryOptions(deleteEnabled, readOnly, rules, blobCacheEntries, manifestCacheBytes,
                    linkCacheTtl, catalogRefresh, immutableTags);
        }

        public RegistryOptions withImmutableTags(List<String> patterns) {
            return new RegistryOptions(deleteEnabled, readOnly, manifestRules, blobCacheEntries,
                    manifestCacheBytes, linkCacheTtl, catalogRefresh, patterns);
        }
    }

    public StorageDriver driver() {
        return driver;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public RepositoryBlobs repositoryBlobs() {
        return repositoryBlobs;
    }

    public Uploads uploads() {
        return uploads;
    }

    public Tags tags() {
        return tags;
    }

    public Manifests manifests() {
        return manifests;
    }

    public RepositoryIndex repositories() {
        return repositories;
    }

    public RegistryOptions options() {
        return options;
    }

    /** Coordination of writers with the online garbage collector. */
    public ActivityGuard activity() {
        return activity;
    }

    /** When tags were last pulled. */
    public PullRecords pulls() {
        return pulls;
    }

    /** The clock every role object uses. */
    public Clock clock() {
        return clock;
    }

    ManifestParser parser() {
        return parser;
    }

    Referrers referrerLinks() {
        return referrers;
    }

    /**
     * Deletes a whole repository: its tags, manifests, blob links, uploads, referrers and pull
     * records. Blobs stay for garbage collection. Afterwards the repository is gone from the catalog.
     * Durable when it returns.
     *
     * @throws RegistryException {@code UNSUPPORTED} unless deletes are enabled and the registry is
     *     writable; {@code NAME_UNKNOWN} when the repository does not exist
     */
    public void deleteRepository(RepositoryName repo) throws IOException {
        checkDeletable();
        if (!repositoryExists(repo)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " is not known");
        }
        activity.touch(repo);
        forgetRepository(repo);
    }

    /**
     * Garbage collection: removes a repository that holds no file any more, so that it leaves the
     * catalog. Call under the repository's {@link ActivityGuard} lock.
     *
     * @return true when it was empty and is now removed
     */
    boolean removeIfEmpty(RepositoryName repo) throws IOException {
        if (!RepositoryContents.isEmpty(driver, repo)) {
            return false;
        }
        forgetRepository(repo);
        return true;
    }

    private void forgetRepository(RepositoryName repo) throws IOException {
        RepositoryContents.clear(driver, repo);
        repositories.removed(repo);
        manifests.forgetRepository(repo);
        tags.forgetRepository(repo);
        pulls.forgetRepository(repo);
    }

    /**
     * Refuses a write in read-only mode.
     *
     * @throws RegistryException {@code UNSUPPORTED} when {@code storage.maintenance.readonly} is on
     */
    public void checkWritable() {
        if (options.readOnly) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "the registry is in read-only mode");
        }
    }

    /**
     * Refuses a delete unless enabled.
     *
     * @throws RegistryException {@code UNSUPPORTED} unless {@code storage.delete.enabled}
     */
    public void checkDeletable() {
        checkWritable();
        if (!options.deleteEnabled) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "deletes are disabled (storage.delete.enabled)");
        }
    }

    /**
     * True when the repository exists in storage: it holds manifests or blobs, as the catalog counts
     * it. The directory of a parent name ({@code a} of {@code a/b}) is not a repository.
     */
    public boolean repositoryExists(RepositoryName repo) throws IOException {
        return isDirectory(StorageLayout.manifestsDir(repo)) || isDirectory(StorageLayout.layersDir(repo));
    }

    private boolean isDirectory(String path) throws IOException {
        try {
            return driver.stat(path).directory();
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /**
     * The descriptors of the manifests in the repository whose subject is the digest, optionally
     * only those of one artifact type, as the referrers API lists them.
     */
    public List<ReferrerDescriptor> referrers(RepositoryName repo, Digest subject, String artifactType)
            throws IOException {
        List<ReferrerDescriptor> out = new ArrayList<>();
        for (Digest d : referrers.list(repo, subject)) {
            if (!manifests.hasRevision(repo, d)) {
                continue;
            }
            var stored = manifests.load(d);
            if (stored.isEmpty()) {
                continue;
            }
            var m = stored.get().manifest();
            if (artifactType == null || artifactType.equals(m.artifactType())) {
                out.add(new ReferrerDescriptor(m.mediaType().value(), d, stored.get().payload().length,
                        m.artifactType(), m.annotations()));
            }
        }
        return out;
    }

    /**
     * One entry of a referrers index.
     *
     * @param mediaType the referrer's media type
     * @param digest its digest
     * @param size its length
     * @param artifactType its artifact type, or {@code null}
     * @param annotations its annotations
     */
    public record ReferrerDescriptor(String mediaType, Digest digest, long size, String artifactType,
            java.util.Map<String, String> annotations) {
    }

}
