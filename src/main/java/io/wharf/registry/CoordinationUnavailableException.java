package io.wharf.registry;

import java.io.IOException;

/**
 * The shared coordination cannot be reached or did not grant a lock in time: the write that needed it is refused
 * (answered 503) rather than made without it.
 */
public final class CoordinationUnavailableException extends IOException {
    public CoordinationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
