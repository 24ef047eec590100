package io.wharf.storage;

import java.time.Instant;

/**
 * What {@link StorageDriver#stat} or a listing knows of a path.
 *
 * @param path the path described
 * @param size the file length; 0 for a directory
 * @param modified the last modification time
 * @param directory whether the path is a directory
 * @param etag the object store's entity tag of the file as listed, lower case and without quotes, or {@code null}
 *     when the driver gives none (only {@link StorageDriver#walkFiles} on S3 gives one). On S3 it is the hex MD5 of the content for objects written in one request without
 *     KMS encryption, and an opaque value otherwise: a caller may trust it to name content only after comparing it
 *     with an MD5 it computed itself.
 */
public record FileInfo(String path, long size, Instant modified, boolean directory, String etag) {

    /** A file or directory without an entity tag. */
    public FileInfo(String path, long size, Instant modified, boolean directory) {
        this(path, size, modified, directory, null);
    }
}
