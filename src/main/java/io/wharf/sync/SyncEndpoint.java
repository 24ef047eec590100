package io.wharf.sync;

import io.wharf.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One side of a copy: a registry reached over the distribution API ({@link HttpRegistry}) or this Wharf's own
 * storage ({@link LocalRegistry}). Repository names and references are the side's own. Every method either does
 * what it says or throws; "absent" answers are empty results, never exceptions.
 */
public interface SyncEndpoint {
    /** How reports name this side: a URL, or "this registry". */
    String describe();

    /** Every repository, in catalog order. */
    List<String> repositories() throws IOException;

    /** The repository's tags; empty when it does not exist. */
    List<String> tags(String repo) throws IOException;

    /** The manifest a tag or digest names, or empty. */
    Optional<RawManifest> manifest(String repo, String reference) throws IOException;

    /** The digest a tag or digest names, without fetching the manifest, or empty. */
    Optional<Digest> manifestDigest(String repo, String reference) throws IOException;

    /**
     * Stores a manifest under a tag or its digest.
     *
     * @return true when the side indexed the manifest's {@code subject} itself (the referrers API); false when a
     *     client must maintain the referrers tag schema's index for it
     */
    boolean putManifest(String repo, String reference, RawManifest manifest) throws IOException;

    /** The blob's size when the repository has it, else empty. */
    OptionalLong blobSize(String repo, Digest digest) throws IOException;

    /** The blob's bytes from {@code offset}; the caller closes the stream. */
    InputStream openBlob(String repo, Digest digest, long offset) throws IOException;

    /** Links a blob {@code from} holds into {@code repo} without copying it; false when the side declined. */
    boolean mount(String repo, String from, Digest digest) throws IOException;

    /** Starts an upload and returns its handle. */
    String startUpload(String repo) throws IOException;

    /** The bytes an upload has received, or empty when it no longer exists (expired, purged, completed). */
    OptionalLong uploadOffset(String repo, String handle) throws IOException;

    /**
     * Appends {@code length} bytes at {@code offset}.
     *
     * @return the handle to use from now on (a registry may move an upload's location after each chunk)
     */
    String appendUpload(String repo, String handle, InputStream chunk, long offset, long length) throws IOException;

    /** Completes an upload as {@code digest}; the side verifies the digest. */
    void completeUpload(String repo, String handle, Digest digest) throws IOException;

    /** Cancels an upload, best effort. */
    void cancelUpload(String repo, String handle);

    /**
     * The manifests whose subject is {@code subject} as the referrers API lists them, or empty when the side has no
     * referrers API (Distribution 2.8.2), in which case the referrers tag schema applies.
     */
    Optional<List<Referrer>> referrers(String repo, Digest subject) throws IOException;

    /** A manifest as stored: its digest (of exactly these bytes), media type and bytes. */
    record RawManifest(Digest digest, String mediaType, byte[] payload) {
    }

    /** One entry of a referrers list. */
    record Referrer(Digest digest, String mediaType, long size, String artifactType) {
    }
}
