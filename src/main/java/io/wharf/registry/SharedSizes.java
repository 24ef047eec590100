package io.wharf.registry;

import io.wharf.spec.Digest;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * Blob sizes shared by the instances on one storage ({@code storage.cache.blobdescriptor: redis}), consulted after
 * an instance's own cache and before the storage: on an object store a size read from Redis saves a {@code HEAD}
 * of the object. Best effort: an implementation whose service is down answers empty and drops writes, so the
 * registry reads the storage instead of failing.
 */
public interface SharedSizes {
    /** No sharing. */
    SharedSizes NONE = new SharedSizes() {
        @Override
        public OptionalLong get(Digest digest) {
            return OptionalLong.empty();
        }

        @Override
        public void put(Digest digest, long size) {
            // Nothing is shared.
        }

        @Override
        public void remove(Digest digest) {
            // Nothing is shared.
        }
    };

    /** The size when known, else empty (also when the service is unreachable). */
    OptionalLong get(Digest digest);

    /** Remembers a size read from storage or written. */
    void put(Digest digest, long size);

    /** Forgets a blob that was deleted. */
    void remove(Digest digest);

    /** Forgets blobs that were deleted; an implementation may send them together. */
    default void removeAll(Collection<Digest> digests) {
        digests.forEach(this::remove);
    }
}
