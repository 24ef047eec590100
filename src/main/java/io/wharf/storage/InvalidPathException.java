package io.wharf.storage;

/** Thrown by a {@link StorageDriver} for invalid path. */
public final class InvalidPathException extends StorageException {
    public InvalidPathException(String path) {
        super("invalid path", path);
    }
}
