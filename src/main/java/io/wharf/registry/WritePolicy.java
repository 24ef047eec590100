package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The registry's write policy ({@code storage.maintenance.readonly}, {@code storage.delete.enabled}), enforced by
 * decorators that {@link Registry} puts outermost around every role, so that no entry point (HTTP, a command,
 * retention, a pull-through cache, a UI) can write past it or has to remember it.
 */
record WritePolicy(boolean readOnly, boolean deleteEnabled) {

    /** @throws RegistryException {@code UNSUPPORTED} in read-only mode */
    void checkWritable() {
        if (readOnly) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "the registry is in read-only mode");
        }
    }

    /** @throws RegistryException {@code UNSUPPORTED} in read-only mode or unless deletes are enabled */
    void checkDeletable() {
        checkWritable();
        if (!deleteEnabled) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "deletes are disabled (storage.delete.enabled)");
        }
    }

    ManifestStore guard(ManifestStore manifests) {
        return new ForwardingManifestStore(manifests) {
            @Override
            public StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType type)
                    throws IOException {
                checkWritable();
                return inner.put(repo, reference, payload, type);
            }

            @Override
            public StoredManifest putCopy(RepositoryName repo, Reference reference, byte[] payload, MediaType type)
                    throws IOException {
                checkWritable();
                return inner.putCopy(repo, reference, payload, type);
            }

            @Override
            public List<Tag> delete(RepositoryName repo, Digest digest) throws IOException {
                checkDeletable();
                return inner.delete(repo, digest);
            }

            @Override
            public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
                checkDeletable();
                inner.deleteTag(repo, tag);
            }
        };
    }

    UploadSessions guard(UploadSessions uploads) {
        return new ForwardingUploadSessions(uploads) {
            @Override
            public UploadStatus start(RepositoryName repo) throws IOException {
                checkWritable();
                return inner.start(repo);
            }

            @Override
            public UploadStatus append(RepositoryName repo, String id, InputStream body, long rangeStart, long length)
                    throws IOException {
                checkWritable();
                return inner.append(repo, id, body, rangeStart, length);
            }

            @Override
            public long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
                    throws IOException {
                checkWritable();
                return inner.complete(repo, id, lastChunk, length, expected);
            }

            @Override
            public void cancel(RepositoryName repo, String id) throws IOException {
                checkWritable();
                inner.cancel(repo, id);
            }

            @Override
            public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected)
                    throws IOException {
                checkWritable();
                return inner.putWhole(repo, body, length, expected);
            }
        };
    }

    BlobAccess guard(BlobAccess blobs) {
        return new ForwardingBlobAccess(blobs) {
            @Override
            public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
                checkDeletable();
                return inner.unlink(repo, digest);
            }

            @Override
            public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
                checkWritable();
                return inner.mount(repo, from, digest);
            }
        };
    }
}
