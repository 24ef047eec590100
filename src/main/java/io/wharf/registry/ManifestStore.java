package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Manifests of repositories, as callers use them (distribution-spec "Pulling manifests", "Pushing manifests",
 * "Deleting manifests"). The role a decorator wraps to observe or intercept manifest traffic: counting pulls,
 * emitting events, enforcing quotas, fetching from an upstream.
 */
public interface ManifestStore {
    /** The digest a reference names in the repository, or empty. */
    Optional<Digest> resolve(RepositoryName repo, Reference reference) throws IOException;

    /**
     * A manifest by tag or digest.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when the repository has no such manifest
     */
    StoredManifest get(RepositoryName repo, Reference reference) throws IOException;

    /**
     * Validates and stores a manifest, tagging it when the reference is a tag. Durable when it returns.
     *
     * @throws RegistryException {@code MANIFEST_INVALID}, {@code MANIFEST_BLOB_UNKNOWN}, {@code DIGEST_INVALID},
     *     {@code DENIED} for an immutable tag, {@code UNSUPPORTED} in read-only mode
     */
    StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException;

    /**
     * Stores a copy of a manifest that lives elsewhere (a mirror's upstream), tagging it when the reference is a
     * tag. Unlike {@link #put}, what it references need not be present yet: a mirror fetches those on demand.
     * Durable when it returns.
     *
     * @throws RegistryException {@code MANIFEST_INVALID}, {@code DIGEST_INVALID}, {@code UNSUPPORTED} in
     *     read-only mode
     */
    StoredManifest putCopy(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException;

    /**
     * Deletes a manifest revision and every tag pointing to it.
     *
     * @return the tags that pointed to it, now removed (Distribution reports each as deleted, too)
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when absent; {@code UNSUPPORTED} unless deletes are on
     */
    List<Tag> delete(RepositoryName repo, Digest digest) throws IOException;

    /**
     * Removes a tag, keeping the manifest.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when there is no such tag; {@code UNSUPPORTED} unless
     *     deletes are on
     */
    void deleteTag(RepositoryName repo, Tag tag) throws IOException;
}
