package io.wharf.storage;

import java.io.IOException;

/** Base of the driver's failures that callers can act on. */
public class StorageException extends IOException {
    private final String path;

    public StorageException(String message, String path) {
        super(message + ": " + path);
        this.path = path;
    }

    /** The driver path concerned. */
    public String path() {
        return path;
    }
}
