package io.wharf.storage;

/** Thrown by a {@link StorageDriver} for invalid offset. */
public final class InvalidOffsetException extends StorageException {
    public InvalidOffsetException(String path) {
        super("invalid offset", path);
    }
}
