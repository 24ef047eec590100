package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.util.Optional;

/**
 * A {@link ManifestStore} that passes every call on; a decorator overrides only what it intercepts. The exception
 * is {@link #answersFromMemory}: it is {@code false} unless the decorator declares that its {@code get} adds no I/O
 * ({@link #ForwardingManifestStore(ManifestStore, boolean)}), so a decorator that writes or fetches on a read (events,
 * a mirror) never has its reads answered on the network thread by accident.
 */
public abstract class ForwardingManifestStore implements ManifestStore {
    protected final ManifestStore inner;
    private final boolean readsInMemory;

    /** A decorator whose reads may do I/O: {@link #answersFromMemory} is always {@code false}. */
    protected ForwardingManifestStore(ManifestStore inner) {
        this(inner, false);
    }

    /** @param readsInMemory whether this decorator's {@code get} adds no I/O to what the store under it does */
    protected ForwardingManifestStore(ManifestStore inner, boolean readsInMemory) {
        this.inner = inner;
        this.readsInMemory = readsInMemory;
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
    public boolean answersFromMemory(RepositoryName repo, Reference reference) {
        return readsInMemory && inner.answersFromMemory(repo, reference);
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
    public void delete(RepositoryName repo, Digest digest) throws IOException {
        inner.delete(repo, digest);
    }

    @Override
    public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
        inner.deleteTag(repo, tag);
    }
}
