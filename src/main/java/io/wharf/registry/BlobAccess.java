package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Blobs as a repository's callers reach them: whether the repository has one, how to deliver it, unlinking
 * and cross-repository mounts.
 */
public interface BlobAccess {
    /**
     * The blob's size when the repository links it and it exists, else empty. A blob reported present is not
     * collected by a concurrent garbage collection.
     */
    OptionalLong stat(RepositoryName repo, Digest digest) throws IOException;

    /** How to hand the bytes from {@code offset} to a client: a local file, a stream, or a redirect. */
    BlobDelivery delivery(RepositoryName repo, Digest digest, long offset) throws IOException;

    /**
     * Removes the repository's link to the blob; the content stays for garbage collection.
     *
     * @return false when the repository did not link it
     * @throws RegistryException {@code UNSUPPORTED} unless deletes are on
     */
    boolean unlink(RepositoryName repo, Digest digest) throws IOException;

    /**
     * Links the blob into {@code repo} when {@code from} links it.
     *
     * @return the blob's size when mounted, empty when {@code from} does not have it
     * @throws RegistryException {@code UNSUPPORTED} in read-only mode
     */
    OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException;
}
