package io.wharf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import io.wharf.spec.Digest;
import io.wharf.spec.ManifestParser;
import io.wharf.storage.StorageDriver;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * The parts a {@link Registry} is composed of: the standard implementations over one storage driver, and the role
 * objects callers reach ({@link ManifestStore}, {@link UploadSessions}, {@link BlobAccess}, {@link Listings}),
 * each of which a feature may wrap with a decorator before the registry is built:
 *
 * <pre>{@code
 * RegistryParts parts = RegistryParts.standard(driver, options, json, clock)
 *         .decorateManifests(m -> new PullCounting(m, statistics));
 * Registry registry = new Registry(parts);
 * }</pre>
 *
 * The registry puts its write policy around the decorated roles, so no decorator can write past it. Immutable:
 * each {@code decorate} returns new parts.
 */
public final class RegistryParts {
    final Core core;
    final ManifestStore manifests;
    final UploadSessions uploads;
    final BlobAccess blobs;
    final Listings listings;

    /** The standard implementations every registry shares; not replaceable, only wrapped through the roles. */
    record Core(StorageDriver driver, Registry.RegistryOptions options, Clock clock, ManifestParser parser,
            Coordination coordination, WriteActivity activity, BlobStore blobStore, RepositoryBlobs repositoryBlobs, RepositoryIndex index,
            Uploads uploads, Tags tags, Referrers referrers, PullRecords pulls, Manifests manifests,
            Cache<Digest, ManifestReferences.Refs> knownManifests) {
    }

    private RegistryParts(Core core, ManifestStore manifests, UploadSessions uploads, BlobAccess blobs,
            Listings listings) {
        this.core = core;
        this.manifests = manifests;
        this.uploads = uploads;
        this.blobs = blobs;
        this.listings = listings;
    }

    /** The standard parts over a driver: Distribution's layout, in-process coordination. */
    public static RegistryParts standard(StorageDriver driver, Registry.RegistryOptions options, ObjectMapper json,
            Clock clock) {
        return standard(driver, options, json, clock, new LocalCoordination(clock));
    }

    /** The standard parts over a driver, coordinated through {@code coordination} (shared when storage is). */
    public static RegistryParts standard(StorageDriver driver, Registry.RegistryOptions options, ObjectMapper json,
            Clock clock, Coordination coordination) {
        WriteActivity activity = coordination.writes();
        ManifestParser parser = new ManifestParser(json);
        Links links = new Links(driver);
        BlobStore blobStore = new BlobStore(driver, options.caches().blobSizes(), options.caches().smallBlobBytes(),
                coordination);
        RepositoryIndex index = new RepositoryIndex(driver, options.catalogRefresh(), clock, !options.readOnly(),
                coordination);
        RepositoryBlobs repositoryBlobs = new RepositoryBlobs(blobStore, links, index, activity);
        Uploads uploads = new Uploads(driver, blobStore, repositoryBlobs, clock, activity, coordination);
        Tags tags = new Tags(driver, links, options.linkCacheTtl(), coordination);
        Referrers referrers = new Referrers(driver, links);
        PullRecords pulls = new PullRecords(driver, clock);
        Manifests manifests = new Manifests(blobStore, repositoryBlobs, links, tags, referrers, index, parser,
                options.manifestRules(), options.linkCacheTtl(), options.caches().manifestBytes(), activity,
                GlobPattern.compileAll(options.immutableTags()));
        Core core = new Core(driver, options, clock, parser, coordination, activity, blobStore, repositoryBlobs, index, uploads,
                tags, referrers, pulls, manifests, ManifestReferences.newKnown(options.caches().keptDigests()));
        return new RegistryParts(core, manifests, uploads,
                new StoredBlobs(repositoryBlobs, blobStore, driver, options.redirects()),
                new StoredListings(driver, tags, index, referrers, manifests));
    }

    /** These parts with the manifest role wrapped by {@code decorator}. */
    public RegistryParts decorateManifests(UnaryOperator<ManifestStore> decorator) {
        return new RegistryParts(core, decorator.apply(manifests), uploads, blobs, listings);
    }

    /**
     * The four roles together, for a feature that spans them (a mirror answers manifests and blobs and stores what
     * it fetches through the uploads below it).
     */
    public record Roles(ManifestStore manifests, UploadSessions uploads, BlobAccess blobs, Listings listings) {
    }

    /** These parts with all roles replaced by what {@code decorator} makes of them. */
    public RegistryParts decorateRoles(UnaryOperator<Roles> decorator) {
        Roles r = decorator.apply(new Roles(manifests, uploads, blobs, listings));
        return new RegistryParts(core, r.manifests(), r.uploads(), r.blobs(), r.listings());
    }

    /** These parts with the upload role wrapped by {@code decorator}. */
    public RegistryParts decorateUploads(UnaryOperator<UploadSessions> decorator) {
        return new RegistryParts(core, manifests, decorator.apply(uploads), blobs, listings);
    }

    /** These parts with the blob role wrapped by {@code decorator}. */
    public RegistryParts decorateBlobs(UnaryOperator<BlobAccess> decorator) {
        return new RegistryParts(core, manifests, uploads, decorator.apply(blobs), listings);
    }

    /** These parts with the listing role wrapped by {@code decorator}. */
    public RegistryParts decorateListings(UnaryOperator<Listings> decorator) {
        return new RegistryParts(core, manifests, uploads, blobs, decorator.apply(listings));
    }

    /** The storage driver under every part. */
    public StorageDriver driver() {
        return core.driver();
    }
}
