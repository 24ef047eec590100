package io.wharf.storage;

/** Thrown by a {@link StorageDriver} for no such path. */
public final class PathNotFoundException extends StorageException {
    public PathNotFoundException(String path) {
        super("no such path", path);
    }
}
