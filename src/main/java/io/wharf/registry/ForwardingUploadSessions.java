package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.io.InputStream;

/** An {@link UploadSessions} that passes every call on; a decorator overrides only what it intercepts. */
public abstract class ForwardingUploadSessions implements UploadSessions {
    protected final UploadSessions inner;

    protected ForwardingUploadSessions(UploadSessions inner) {
        this.inner = inner;
    }

    @Override
    public UploadStatus start(RepositoryName repo) throws IOException {
        return inner.start(repo);
    }

    @Override
    public UploadStatus status(RepositoryName repo, String id) throws IOException {
        return inner.status(repo, id);
    }

    @Override
    public UploadStatus append(RepositoryName repo, String id, InputStream body, long rangeStart, long length)
            throws IOException {
        return inner.append(repo, id, body, rangeStart, length);
    }

    @Override
    public long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
            throws IOException {
        return inner.complete(repo, id, lastChunk, length, expected);
    }

    @Override
    public void cancel(RepositoryName repo, String id) throws IOException {
        inner.cancel(repo, id);
    }

    @Override
    public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected) throws IOException {
        return inner.putWhole(repo, body, length, expected);
    }
}
