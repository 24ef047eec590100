package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;

/**
 * A manifest as stored: its exact bytes, digest and parsed form.
 *
 * @param digest the digest of {@code payload}
 * @param payload the bytes exactly as pushed; callers must not modify them
 * @param manifest the parsed manifest
 */
public record StoredManifest(Digest digest, byte[] payload, Manifest manifest) {
}
