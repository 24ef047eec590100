package io.wharf.storage;

import java.time.Instant;

/**
 * What {@link StorageDriver#stat} knows of a path.
 *
 * @param path the path described
 * @param size the file length; 0 for a directory
 * @param modified the last modification time
 * @param directory whether the path is a directory
 */
public record FileInfo(String path, long size, Instant modified, boolean directory) {
}
