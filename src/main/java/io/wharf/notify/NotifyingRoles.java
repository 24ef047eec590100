package io.wharf.notify;

import io.wharf.registry.BlobAccess;
import io.wharf.registry.BlobDelivery;
import io.wharf.registry.ForwardingBlobAccess;
import io.wharf.registry.ForwardingManifestStore;
import io.wharf.registry.ForwardingUploadSessions;
import io.wharf.registry.ManifestStore;
import io.wharf.registry.RegistryParts.Roles;
import io.wharf.registry.StoredManifest;
import io.wharf.registry.UploadSessions;
import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The roles reporting what happened, after it succeeded, as Distribution's notification bridge does: a manifest
 * pulled (GET or HEAD, by tag or digest), pushed or deleted (by digest, or by tag — Wharf deletes tags); a blob pulled
 * (GET; a HEAD never opens the blob, so it is no pull, unlike Distribution), pushed (an upload completed or a monolithic push), mounted from another repository, or deleted.
 */
public final class NotifyingRoles {
    private static final String BLOB_TYPE = "application/octet-stream";

    private NotifyingRoles() {
    }

    /** The roles, each reporting to {@code notifier}. */
    public static Roles wrap(Roles roles, Notifier notifier) {
        ManifestStore manifests = new ForwardingManifestStore(roles.manifests()) {
            @Override
            public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
                StoredManifest m = inner.get(repo, reference);
                notifier.emit("pull", manifestTarget(repo, reference, m));
                return m;
            }

            @Override
            public StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType type)
                    throws IOException {
                StoredManifest m = inner.put(repo, reference, payload, type);
                notifier.emit("push", manifestTarget(repo, reference, m));
                return m;
            }

            @Override
            public List<Tag> delete(RepositoryName repo, Digest digest) throws IOException {
                List<Tag> untagged = inner.delete(repo, digest);
                // In Distribution's order: the manifest's event, then one for each tag that went with it.
                notifier.emit("delete", new Notifier.Target(null, -1, digest, repo, null, null, null, null));
                for (Tag tag : untagged) {
                    notifier.emit("delete", new Notifier.Target(null, -1, null, repo, tag.value(), null, null, null));
                }
                return untagged;
            }

            @Override
            public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
                inner.deleteTag(repo, tag);
                notifier.emit("delete", new Notifier.Target(null, -1, null, repo, tag.value(), null, null, null));
            }
        };
        BlobAccess blobs = new ForwardingBlobAccess(roles.blobs()) {
            @Override
            public BlobDelivery delivery(RepositoryName repo, Digest digest, long offset) throws IOException {
                BlobDelivery d = inner.delivery(repo, digest, offset);
                notifier.emit("pull", blobTarget(repo, digest, inner.stat(repo, digest).orElse(-1), null));
                return d;
            }

            @Override
            public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
                boolean unlinked = inner.unlink(repo, digest);
                if (unlinked) {
                    notifier.emit("delete", new Notifier.Target(null, -1, digest, repo, null, null, null, null));
                }
                return unlinked;
            }

            @Override
            public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
                OptionalLong size = inner.mount(repo, from, digest);
                if (size.isPresent()) {
                    notifier.emit("mount", blobTarget(repo, digest, size.getAsLong(), from));
                }
                return size;
            }
        };
        UploadSessions uploads = new ForwardingUploadSessions(roles.uploads()) {
            @Override
            public long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
                    throws IOException {
                long size = inner.complete(repo, id, lastChunk, length, expected);
                notifier.emit("push", blobTarget(repo, expected, size, null));
                return size;
            }

            @Override
            public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected)
                    throws IOException {
                long size = inner.putWhole(repo, body, length, expected);
                notifier.emit("push", blobTarget(repo, expected, size, null));
                return size;
            }
        };
        return new Roles(manifests, uploads, blobs, roles.listings());
    }

    private static Notifier.Target manifestTarget(RepositoryName repo, Reference reference, StoredManifest m) {
        MediaType type = m.manifest().mediaType();
        return new Notifier.Target(type == null ? null : type.value(), m.payload().length, m.digest(), repo,
                reference instanceof Tag t ? t.value() : null, null, m.manifest(),
                Notifier.path(repo, "manifests", m.digest()));
    }

    private static Notifier.Target blobTarget(RepositoryName repo, Digest digest, long size, RepositoryName from) {
        return new Notifier.Target(BLOB_TYPE, size, digest, repo, null, from, null,
                Notifier.path(repo, "blobs", digest));
    }
}
