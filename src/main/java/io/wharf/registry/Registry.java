package io.wharf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
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
    private final RegistryParts.Core core;
    private final WritePolicy policy;
    private final ManifestStore manifestRole;
    private final UploadSessions uploadRole;
    private final BlobAccess blobRole;
    private final Listings listingRole;

    /**
     * A registry of the given parts, with its write policy put around every role (outermost, so that no decorator
     * writes past it) and tag pulls recorded for retention.
     */
    public Registry(RegistryParts parts) {
        this.core = parts.core;
        this.policy = new WritePolicy(core.options().readOnly(), core.options().deleteEnabled());
        this.manifestRole = policy.guard(new TagPullRecorder(parts.manifests, core.pulls()));
        this.uploadRole = policy.guard(parts.uploads);
        this.blobRole = policy.guard(parts.blobs);
        this.listingRole = parts.listings;
    }

    /** The standard parts over a driver, undecorated. */
    public Registry(StorageDriver driver, RegistryOptions options, ObjectMapper json, Clock clock) {
        this(RegistryParts.standard(driver, options, json, clock));
    }

    /**
     * Tunables of the domain.
     *
     * @param deleteEnabled whether deletes are allowed ({@code storage.delete.enabled})
     * @param readOnly whether every write is refused ({@code storage.maintenance.readonly})
     * @param manifestRules what manifest pushes must satisfy ({@code validation})
     * @param caches how much the caches may hold (a share of the heap each)
     * @param linkCacheTtl how long tag and revision lookups are trusted without reading storage
     * @param catalogRefresh how often the repository list is rebuilt from storage
     * @param immutableTags glob patterns of tags that may not be moved once set ({@code immutabletags})
     * @param redirects whether blob downloads may be redirected to a URL the driver offers
     *     ({@code storage.redirect.disable} off)
     */
    public record RegistryOptions(boolean deleteEnabled, boolean readOnly, ManifestRules manifestRules,
            CacheBudget caches, Duration linkCacheTtl, Duration catalogRefresh,
            List<String> immutableTags, boolean redirects) {
        public RegistryOptions {
            immutableTags = List.copyOf(immutableTags);
        }

        public RegistryOptions(boolean deleteEnabled, boolean readOnly, ManifestRules manifestRules,
                CacheBudget caches, Duration linkCacheTtl, Duration catalogRefresh, List<String> immutableTags) {
            this(deleteEnabled, readOnly, manifestRules, caches, linkCacheTtl, catalogRefresh, immutableTags, false);
        }

        public static RegistryOptions defaults() {
            return new RegistryOptions(false, false, ManifestRules.defaults(), CacheBudget.ofHeap(),
                    Duration.ofSeconds(5), Duration.ofSeconds(30), List.of());
        }

        public RegistryOptions withCaches(CacheBudget budget) {
            return new RegistryOptions(deleteEnabled, readOnly, manifestRules, budget, linkCacheTtl, catalogRefresh,
                    immutableTags, redirects);
        }

        public RegistryOptions withRedirects(boolean enabled) {
            return new RegistryOptions(deleteEnabled, readOnly, manifestRules, caches,
                    linkCacheTtl, catalogRefresh, immutableTags, enabled);
        }

        public RegistryOptions withDelete(boolean enabled) {
            return new RegistryOptions(enabled, readOnly, manifestRules, caches,
                    linkCacheTtl, catalogRefresh, immutableTags, redirects);
        }

        public RegistryOptions withReadOnly(boolean enabled) {
            return new RegistryOptions(deleteEnabled, enabled, manifestRules, caches, linkCacheTtl, catalogRefresh,
                    immutableTags, redirects);
        }

        public RegistryOptions withManifestRules(ManifestRules rules) {
            return new RegistryOptions(deleteEnabled, readOnly, rules, caches,
                    linkCacheTtl, catalogRefresh, immutableTags, redirects);
        }

        public RegistryOptions withImmutableTags(List<String> patterns) {
            return new RegistryOptions(deleteEnabled, readOnly, manifestRules, caches, linkCacheTtl, catalogRefresh,
                    patterns, redirects);
        }
    }

    public StorageDriver driver() {
        return core.driver();
    }

    /**
     * Meters for the registry's in-memory caches: {@code cache_gets_total{cache,result="hit|miss"}},
     * {@code cache_evictions_total}, {@code cache_size} for {@code blob_sizes}, {@code manifests},
     * {@code manifest_revisions} and {@code tags}.
     */
    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters,
                (com.github.benmanes.caffeine.cache.Cache<?, ?>) core.blobStore().cache(), "blob_sizes");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters,
                (com.github.benmanes.caffeine.cache.Cache<?, ?>) core.blobStore().contentCache(), "small_blobs");
        core.manifests().caches((name, cache) ->
                io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, cache, name));
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, core.tags().cache(), "tags");
    }

    /** Manifests, as callers use them: write policy enforced, tag pulls recorded. */
    public ManifestStore manifests() {
        return manifestRole;
    }

    /** Blob uploads, as callers use them: write policy enforced. */
    public UploadSessions uploads() {
        return uploadRole;
    }

    /** Blobs of repositories, as callers use them: write policy enforced. */
    public BlobAccess blobAccess() {
        return blobRole;
    }

    /** Tags, catalog and referrers, as callers list them. */
    public Listings listings() {
        return listingRole;
    }

    /** The content-addressed blob store (maintenance: garbage collection, scrub). */
    public BlobStore blobs() {
        return core.blobStore();
    }

    /** Repository blob links (maintenance); callers use {@link #blobAccess()}. */
    public RepositoryBlobs repositoryBlobs() {
        return core.repositoryBlobs();
    }

    /** Tag links (maintenance: retention, scrub); callers use {@link #manifests()} and {@link #listings()}. */
    public Tags tags() {
        return core.tags();
    }

    /** The catalog index (maintenance). */
    public RepositoryIndex repositories() {
        return core.index();
    }

    public RegistryOptions options() {
        return core.options();
    }

    /** Coordination of writers with the online garbage collector. */
    public WriteActivity activity() {
        return core.activity();
    }

    /** When tags were last pulled. */
    public PullRecords pulls() {
        return core.pulls();
    }

    /** How this registry coordinates with its own writers and with other instances on the same storage. */
    public Coordination coordination() {
        return core.coordination();
    }

    /** The clock every role object uses. */
    public Clock clock() {
        return core.clock();
    }

    ManifestParser parser() {
        return core.parser();
    }

    /**
     * What each manifest refers to, shared by the collector and the storage usage and kept between their runs
     * (bounded; a manifest never changes once stored), so that neither reads an unchanged manifest again.
     */
    Cache<Digest, ManifestReferences.Refs> knownManifests() {
        return core.knownManifests();
    }

    /** The manifest implementation itself, for maintenance inside the domain. */
    Manifests manifestStore() {
        return core.manifests();
    }

    Referrers referrerLinks() {
        return core.referrers();
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
        policy.checkDeletable();
        if (!repositoryExists(repo)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " is not known");
        }
        core.activity().touch(repo);
        forgetRepository(repo);
    }

    /**
     * Garbage collection: removes a repository that holds no file any more, so that it leaves the
     * catalog. Call under the repository's {@link ActivityGuard} lock.
     *
     * @return true when it was empty and is now removed
     */
    boolean removeIfEmpty(RepositoryName repo) throws IOException {
        if (!RepositoryContents.isEmpty(core.driver(), repo)) {
            return false;
        }
        forgetRepository(repo);
        return true;
    }

    private void forgetRepository(RepositoryName repo) throws IOException {
        RepositoryContents.clear(core.driver(), repo);
        core.index().removed(repo);
        core.manifests().forgetRepository(repo);
        core.tags().forgetRepository(repo);
        core.pulls().forgetRepository(repo);
    }

    /**
     * Refuses a write in read-only mode (for maintenance that writes, such as garbage collection).
     *
     * @throws RegistryException {@code UNSUPPORTED} when {@code storage.maintenance.readonly} is on
     */
    public void checkWritable() {
        policy.checkWritable();
    }

    /** True when the repository exists in storage: it holds manifests or blobs, as the catalog counts it. */
    public boolean repositoryExists(RepositoryName repo) throws IOException {
        return listingRole.exists(repo);
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
