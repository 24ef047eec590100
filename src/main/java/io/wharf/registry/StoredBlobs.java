package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link BlobAccess} over the storage: repository links ({@link RepositoryBlobs}) and the content store
 * ({@link BlobStore}). Delivery prefers a redirect when redirects are enabled and the driver offers one
 * (Distribution's {@code storage.redirect}), then a small blob's content from memory, then a local file, then a
 * stream.
 */
final class StoredBlobs implements BlobAccess {
    /** As Distribution: a presigned URL stays valid for 20 minutes. */
    static final Duration REDIRECT_VALIDITY = Duration.ofMinutes(20);

    private final RepositoryBlobs links;
    private final BlobStore store;
    private final StorageDriver driver;
    private final boolean redirects;

    StoredBlobs(RepositoryBlobs links, BlobStore store, StorageDriver driver, boolean redirects) {
        this.links = links;
        this.store = store;
        this.driver = driver;
        this.redirects = redirects;
    }

    @Override
    public OptionalLong stat(RepositoryName repo, Digest digest) throws IOException {
        return links.stat(repo, digest);
    }

    @Override
    public BlobDelivery delivery(RepositoryName repo, Digest digest, long offset) throws IOException {
        if (redirects) {
            Optional<URI> url = driver.redirectUrl(StorageLayout.blobData(digest), REDIRECT_VALIDITY);
            if (url.isPresent()) {
                return new BlobDelivery.Redirect(url.get());
            }
        }
        OptionalLong size = store.size(digest);
        if (size.isPresent() && offset <= size.getAsLong()) {
            Optional<ByteBuffer> kept = store.smallContent(digest, size.getAsLong());
            if (kept.isPresent()) {
                return new BlobDelivery.Bytes(kept.get().position((int) offset));
            }
        }
        Optional<Path> local = store.localFile(digest);
        if (local.isPresent()) {
            return new BlobDelivery.LocalFile(local.get());
        }
        try {
            return new BlobDelivery.Stream(store.open(digest, offset));
        } catch (PathNotFoundException e) {
            // Removed behind this server's back (an offline collection, a server without shared coordination)
            // while its size was still remembered: gone, as Distribution answers, not a server error.
            store.forget(digest);
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repo);
        }
    }

    @Override
    public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
        return links.unlink(repo, digest);
    }

    @Override
    public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
        return links.mount(repo, from, digest);
    }
}
