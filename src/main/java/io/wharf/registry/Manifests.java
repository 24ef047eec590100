package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.Manifest;
import io.wharf.spec.ManifestParser;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.PathNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Manifests of repositories (distribution-spec "Pushing manifests", "Pulling manifests",
 * "Deleting manifests"). A manifest is stored as a blob and linked under
 * {@code _manifests/revisions}; tags point at revisions.
 *
 * <p>Parsed manifests are cached by digest (content never changes); revision links are cached with
 * the same expiry as tags.
 */
public final class Manifests implements ManifestStore {
    private record Revision(RepositoryName repo, Digest digest) {
    }

    private final BlobStore blobs;
    private final RepositoryBlobs repositoryBlobs;
    private final Links links;
    private final Tags tags;
    private final Referrers referrers;
    private final RepositoryIndex repositories;
    private final ManifestParser parser;
    private final ManifestRules rules;
    private final Cache<Digest, StoredManifest> contents;
    private final Cache<Revision, Boolean> revisions;
    private final WriteActivity activity;
    private final List<GlobPattern> immutableTags;

    Manifests(BlobStore blobs, RepositoryBlobs repositoryBlobs, Links links, Tags tags, Referrers referrers,
            RepositoryIndex repositories, ManifestParser parser, ManifestRules rules, Duration linkTtl,
            long cacheBytes, WriteActivity activity, List<GlobPattern> immutableTags) {
        this.activity = activity;
        this.immutableTags = List.copyOf(immutableTags);
        this.blobs = blobs;
        this.repositoryBlobs = repositoryBlobs;
        this.links = links;
        this.tags = tags;
        this.referrers = referrers;
        this.repositories = repositories;
        this.parser = parser;
        this.rules = rules;
        this.contents = Caffeine.newBuilder().maximumWeight(cacheBytes)
                .weigher((Digest d, StoredManifest m) -> weight(m)).recordStats().build();
        this.revisions = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(linkTtl).recordStats().build();
    }

    /** What a cached manifest takes from the cache's budget: its bytes, its parsed form and the entry itself. */
    private static int weight(StoredManifest m) {
        return (int) Math.min(Integer.MAX_VALUE, m.payload().length + m.manifest().footprint() + 256L);
    }

    /**
     * Stores a manifest under a tag or digest. Durable when it returns.
     *
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @return the stored manifest
     * @throws RegistryException {@code MANIFEST_INVALID}, {@code DIGEST_INVALID} (digest reference
     *     does not match the payload), {@code MANIFEST_BLOB_UNKNOWN} (a referenced blob or child
     *     manifest is not in the repository), {@code DENIED} (the tag matches an immutable-tag pattern
     *     and already points to another manifest)
     */
    public StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException {
        return store(repo, reference, payload, contentType, rules.verifyReferences());
    }

    @Override
    public StoredManifest putCopy(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException {
        return store(repo, reference, payload, contentType, false);
    }

    private StoredManifest store(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType,
            boolean verify) throws IOException {
        Manifest manifest = parser.parsePushed(payload, contentType);
        Digest.Algorithm algorithm = reference instanceof DigestReference d
                ? d.digest().algorithm() : Digest.Algorithm.SHA256;
        Digest digest = Digest.compute(algorithm, payload);
        if (reference instanceof DigestReference d && !d.digest().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "manifest digest " + digest + " does not match " + d.digest());
        }
        if (reference instanceof Tag tag) {
            refuseRetag(repo, tag, digest);
        }
        // Everything the manifest relies on stays in flight until its revision link is written, so a
        // collection that marked before the link existed does not sweep it (see ActivityGuard).
        activity.using(keys(repo, digest, manifest), () -> {
            if (verify) {
                verifyReferences(repo, manifest);
            }
            blobs.putSmall(digest, payload);
            links.write(StorageLayout.revisionLink(repo, digest), digest);
            revisions.put(new Revision(repo, digest), true);
            repositories.added(repo);
            if (manifest.subject() != null) {
                referrers.add(repo, manifest.subject().digest(), digest);
            }
            if (reference instanceof Tag tag) {
                activity.locked(new TagRef(repo, tag), () -> {
                    refuseRetag(repo, tag, digest);
                    tags.tag(repo, tag, digest);
                    return null;
                });
            }
            return null;
        });
        StoredManifest stored = new StoredManifest(digest, payload, manifest);
        contents.put(digest, stored);
        return stored;
    }

    /** The repository, the manifest and everything it refers to, as {@link ActivityGuard} keys. */
    private static List<Object> keys(RepositoryName repo, Digest digest, Manifest manifest) {
        List<Object> keys = new java.util.ArrayList<>();
        keys.add(repo);
        keys.add(digest);
        if (manifest.config() != null) {
            keys.add(manifest.config().digest());
        }
        manifest.layers().forEach(d -> keys.add(d.digest()));
        manifest.manifests().forEach(d -> keys.add(d.digest()));
        return keys;
    }

    /** Immutable tags: a matching tag that points elsewhere already may not move. */
    private void refuseRetag(RepositoryName repo, Tag tag, Digest digest) throws IOException {
        GlobPattern rule = GlobPattern.firstMatch(immutableTags, tag.value());
        if (rule == null) {
            return;
        }
        Optional<Digest> current = tags.current(repo, tag);
        if (current.isPresent() && !current.get().equals(digest)) {
            throw new RegistryException(ErrorCode.DENIED, "tag " + tag + " of " + repo + " is immutable (matches "
                    + "immutabletags pattern \"" + rule.glob() + "\") and already points to " + current.get());
        }
    }

    /** True when the tag matches an immutable-tag pattern. */
    public boolean isImmutable(Tag tag) {
        return GlobPattern.firstMatch(immutableTags, tag.value()) != null;
    }

    private void verifyReferences(RepositoryName repo, Manifest manifest) throws IOException {
        if (manifest.config() != null) {
            requireBlob(repo, manifest.config());
        }
        for (Descriptor layer : manifest.layers()) {
            if (layer.mediaType().isForeignLayer()) {
                checkForeignUrls(layer);
            } else {
                requireBlob(repo, layer);
            }
        }
        for (Descriptor child : manifest.manifests()) {
            if (rules.childMustExist(child) && !hasRevision(repo, child.digest())) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "manifest " + child.digest() + " is not in repository " + repo);
            }
        }
    }

    /** A foreign layer is fetched from its URLs, never from here, so only they are checked (as Distribution does). */
    private void checkForeignUrls(Descriptor layer) {
        if (layer.urls().isEmpty()) {
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                    "foreign layer " + layer.digest() + " has no URLs");
        }
        for (String url : layer.urls()) {
            if (!rules.urlAllowed(url)) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "foreign layer " + layer.digest()
                        + " points at a URL that validation.manifests.urls does not allow: "
                        + (url.length() > 200 ? url.substring(0, 200) : url));
            }
        }
    }

    private void requireBlob(RepositoryName repo, Descriptor d) throws IOException {
        if (repositoryBlobs.stat(repo, d.digest()).isEmpty()) {
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                    "blob " + d.digest() + " is not in repository " + repo);
        }
    }

    /** The digest a reference names in the repository, or empty. */
    public Optional<Digest> resolve(RepositoryName repo, Reference reference) throws IOException {
        if (reference instanceof Tag tag) {
            return tags.resolve(repo, tag);
        }
        Digest digest = ((DigestReference) reference).digest();
        return hasRevision(repo, digest) ? Optional.of(digest) : Optional.empty();
    }

    /**
     * Fetches a manifest.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when the repository has no such manifest
     */
    public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
        Digest digest = resolve(repo, reference).orElseThrow(() -> unknown(repo, reference));
        Optional<StoredManifest> m = load(digest);
        return m.orElseThrow(() -> unknown(repo, reference));
    }

    /** Reads a manifest by digest from the global store, bypassing repository links. */
    Optional<StoredManifest> load(Digest digest) throws IOException {
        StoredManifest cached = contents.getIfPresent(digest);
        if (cached != null) {
            return Optional.of(cached);
        }
        byte[] payload;
        try {
            payload = blobs.readSmall(digest);
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        StoredManifest stored = new StoredManifest(digest, payload, parser.parseStored(payload));
        contents.put(digest, stored);
        return Optional.of(stored);
    }

    boolean hasRevision(RepositoryName repo, Digest digest) throws IOException {
        Revision key = new Revision(repo, digest);
        Boolean cached = revisions.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        boolean present = links.exists(StorageLayout.revisionLink(repo, digest));
        revisions.put(key, present);
        return present;
    }

    /**
     * Deletes a manifest revision and every tag pointing to it, as Distribution does. The content
     * stays for garbage collection.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when absent
     */
    public List<Tag> delete(RepositoryName repo, Digest digest) throws IOException {
        if (!hasRevision(repo, digest)) {
            throw unknown(repo, new DigestReference(digest));
        }
        Optional<StoredManifest> stored = load(digest);
        List<Tag> untagged = tags.untagAll(repo, digest);
        // Distribution removes only the link file (linkedBlobStore.Delete), leaving the empty directory.
        links.deleteIfPresent(StorageLayout.revisionLink(repo, digest));
        revisions.put(new Revision(repo, digest), false);
        if (stored.isPresent() && stored.get().manifest().subject() != null) {
            referrers.remove(repo, stored.get().manifest().subject().digest(), digest);
        }
        return untagged;
    }

    /**
     * Deletes a tag only; the manifest stays.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when there is no such tag
     */
    public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
        if (!tags.untag(repo, tag)) {
            throw unknown(repo, tag);
        }
    }

    /**
     * Garbage collection: removes an unreachable revision (its link, its referrer link and its entries in the tags'
     * histories), leaving the tags' current links alone. Durable when it returns.
     *
     * @param subject the manifest's subject, or {@code null}
     * @return true when the revision existed
     */
    boolean removeRevision(RepositoryName repo, Digest digest, Digest subject) throws IOException {
        boolean removed = links.deleteIfPresent(StorageLayout.revisionDir(repo, digest));
        revisions.put(new Revision(repo, digest), false);
        tags.removeFromHistories(repo, List.of(digest));
        if (subject != null) {
            referrers.remove(repo, subject, digest);
        }
        contents.invalidate(digest);
        return removed;
    }

    /**
     * Garbage collection: removes revisions of the repository in one batch (their links with one
     * {@link io.wharf.storage.StorageDriver#deleteFiles}, the referrer link of each that has a subject, and their
     * entries in the tags' histories). The caller holds the digests' removal locks.
     */
    void removeRevisions(RepositoryName repo, java.util.Collection<RepositoryMarker.Revision> gone)
            throws IOException {
        links.deleteAll(gone.stream().map(r -> StorageLayout.revisionLink(repo, r.digest())).toList());
        tags.removeFromHistories(repo, gone.stream().map(RepositoryMarker.Revision::digest).toList());
        for (RepositoryMarker.Revision r : gone) {
            revisions.put(new Revision(repo, r.digest()), false);
            if (r.subject() != null) {
                referrers.remove(repo, r.subject(), r.digest());
            }
            contents.invalidate(r.digest());
        }
    }

    /** The caches, by a name for meters. */
    void caches(java.util.function.BiConsumer<String, Cache<?, ?>> each) {
        each.accept("manifests", contents);
        each.accept("manifest_revisions", revisions);
    }

    /** Drops cached parsed content of a manifest blob that was swept. */
    void forget(Digest digest) {
        contents.invalidate(digest);
    }

    /** Forgets every cached revision of a repository that was removed. */
    void forgetRepository(RepositoryName repo) {
        revisions.asMap().keySet().removeIf(r -> r.repo().equals(repo));
    }

    private static RegistryException unknown(RepositoryName repo, Reference reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                "manifest " + reference + " is not in repository " + repo);
    }
}
