package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.util.OptionalLong;

/** A {@link BlobAccess} that passes every call on; a decorator overrides only what it intercepts. */
public abstract class ForwardingBlobAccess implements BlobAccess {
    protected final BlobAccess inner;

    protected ForwardingBlobAccess(BlobAccess inner) {
        this.inner = inner;
    }

    @Override
    public OptionalLong stat(RepositoryName repo, Digest digest) throws IOException {
        return inner.stat(repo, digest);
    }

    @Override
    public BlobDelivery delivery(RepositoryName repo, Digest digest, long offset) throws IOException {
        return inner.delivery(repo, digest, offset);
    }

    @Override
    public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
        return inner.unlink(repo, digest);
    }

    @Override
    public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
        return inner.mount(repo, from, digest);
    }
}
