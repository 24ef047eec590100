package io.wharf.storage;

/**
 * The storage service could not be reached or refused for now (an object store that is down, throttling or
 * answering 5xx): the request may succeed when retried, so clients are told {@code 503}, not {@code 500}.
 */
public final class StorageUnavailableException extends StorageException {
    public StorageUnavailableException(String message, String path, Throwable cause) {
        super(message, path);
        initCause(cause);
    }
}
