package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;

/**
 * A manifest as stored: its exact bytes, digest and parsed form.
 *
 * @param digest the digest of {@code payload}
 * @param payload the bytes exactly as pushed; callers must not modify them
 * @param manifest the parsed manifest
 * @param warning why the copy may not be current (a mirror serving its cache while the upstream is down), sent to
 *     the client as a {@code Warning} header; {@code null} when current
 */
public record StoredManifest(Digest digest, byte[] payload, Manifest manifest, String warning) {
    public StoredManifest(Digest digest, byte[] payload, Manifest manifest) {
        this(digest, payload, manifest, null);
    }

    /** This manifest, marked as possibly out of date for {@code reason}. */
    public StoredManifest stale(String reason) {
        return new StoredManifest(digest, payload, manifest, reason);
    }
}
