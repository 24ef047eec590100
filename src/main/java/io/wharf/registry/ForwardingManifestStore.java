package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** A {@link ManifestStore} that passes every call on; a decorator overrides only what it intercepts. */
public abstract class ForwardingManifestStore implements ManifestStore {
    protected final ManifestStore inner;

    protected ForwardingManifestStore(ManifestStore inner) {
        this.inner = inner;
    }

    @Override
    public Optional<Digest> resolve(RepositoryName repo, Reference reference) throws IOException {
        return inner.resolve(repo, reference);
    }

    @Override
    public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
        return inner.get(repo, reference);
    }

    @Override
    public StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException {
        return inner.put(repo, reference, payload, contentType);
    }

    @Override
    public StoredManifest putCopy(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
            throws IOException {
        return inner.putCopy(repo, reference, payload, contentType);
    }

    @Override
    public List<Tag> delete(RepositoryName repo, Digest digest) throws IOException {
        return inner.delete(repo, digest);
    }

    @Override
    public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
        inner.deleteTag(repo, tag);
    }
}
