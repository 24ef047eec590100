package io.wharf.registry;

/**
 * Where an upload stands.
 *
 * @param id the upload's UUID
 * @param size bytes received so far
 */
public record UploadStatus(String id, long size) {
}
