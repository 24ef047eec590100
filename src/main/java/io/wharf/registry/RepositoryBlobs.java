package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Blobs as one repository sees them: a blob belongs to a repository when the repository links it
 * ({@code _layers/<alg>/<hex>/link}) and the global store holds it.
 */
public final class RepositoryBlobs {
    private final BlobStore blobs;
    private final Links links;
    private final RepositoryIndex repositories;
    private final WriteActivity activity;

    RepositoryBlobs(BlobStore blobs, Links links, RepositoryIndex repositories, WriteActivity activity) {
        this.blobs = blobs;
        this.links = links;
        this.repositories = repositories;
        this.activity = activity;
    }

    /**
     * The blob's size when the repository links it and it exists, else empty. Touches the digest first
     * (see {@link ActivityGuard}), so a blob reported present is not collected by a concurrent sweep.
     */
    public OptionalLong stat(RepositoryName repo, Digest digest) throws IOException {
        activity.touchForRead(digest);
        if (!links.exists(StorageLayout.layerLink(repo, digest))) {
            return OptionalLong.empty();
        }
        return blobs.size(digest);
    }

    /** Links an existing blob into the repository. Durable when it returns. */
    public void link(RepositoryName repo, Digest digest) throws IOException {
        activity.touch(repo);
        activity.touch(digest);
        links.write(StorageLayout.layerLink(repo, digest), digest);
        repositories.added(repo);
    }

    /**
     * Removes the repository's link to the blob (the content stays for garbage collection).
     *
     * @return false when the repository did not link it
     */
    public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
        return links.deleteIfPresent(StorageLayout.layerLinkDir(repo, digest));
    }

    /**
     * Garbage collection: removes the links to swept blobs in one batch ({@link io.wharf.storage.StorageDriver#deleteFiles}). The
     * caller holds the digests' removal locks and found none touched since the sweep, so none was pushed again.
     *
     * @param linked the repositories linking each digest
     * @return how many links were asked to be removed
     */
    int unlinkSwept(java.util.Map<Digest, java.util.List<RepositoryName>> linked) throws IOException {
        java.util.List<String> paths = new java.util.ArrayList<>();
        linked.forEach((digest, repos) -> repos.forEach(repo -> paths.add(StorageLayout.layerLink(repo, digest))));
        links.deleteAll(paths);
        return paths.size();
    }

    /**
     * Cross-repository mount: links the blob into {@code repo} when {@code from} links it.
     *
     * @return the blob's size when mounted, empty when {@code from} does not have it
     */
    public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
        OptionalLong size = stat(from, digest);
        if (size.isPresent()) {
            link(repo, digest);
        }
        return size;
    }
}
