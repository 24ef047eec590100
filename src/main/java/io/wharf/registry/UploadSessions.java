package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.io.InputStream;

/**
 * Blob uploads as callers use them (distribution-spec "Pushing blobs"): sessions addressed by an id, appended in
 * order, completed with a digest that is verified before anything reaches a content address. Every method that
 * writes throws {@code UNSUPPORTED} in read-only mode.
 */
public interface UploadSessions {
    /** Starts an upload session. */
    UploadStatus start(RepositoryName repo) throws IOException;

    /**
     * Where the upload stands.
     *
     * @throws RegistryException {@code BLOB_UPLOAD_UNKNOWN} for an unknown or malformed id
     */
    UploadStatus status(RepositoryName repo, String id) throws IOException;

    /**
     * Appends a chunk that must start where the upload ends ({@code rangeStart}, or -1 for a streamed chunk).
     * Bytes that arrived before the body broke off stay in the upload.
     *
     * @param length the declared length, or -1 when unknown
     * @throws RegistryException {@code RANGE_INVALID} for a chunk out of order, {@code SIZE_INVALID} when fewer or
     *     more bytes arrive than declared
     */
    UploadStatus append(RepositoryName repo, String id, InputStream body, long rangeStart, long length)
            throws IOException;

    /**
     * Appends an optional last chunk, verifies the digest and links the blob into the repository. Durable when it
     * returns.
     *
     * @return the blob's size
     * @throws RegistryException {@code DIGEST_INVALID} on a mismatch (nothing is stored)
     */
    long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
            throws IOException;

    /** Cancels an upload and removes what it received. */
    void cancel(RepositoryName repo, String id) throws IOException;

    /**
     * Uploads a whole blob in one request. Durable when it returns.
     *
     * @return the blob's size
     */
    long putWhole(RepositoryName repo, InputStream body, long length, Digest expected) throws IOException;
}
