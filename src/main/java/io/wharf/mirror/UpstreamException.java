package io.wharf.mirror;

import io.wharf.spec.ErrorCode;
import java.io.IOException;

/** The upstream could not answer: unreachable, too slow, rate-limiting, or answering with an error. */
public final class UpstreamException extends IOException {
    private final ErrorCode code;

    UpstreamException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The spec code a client gets when nothing usable is cached. */
    public ErrorCode code() {
        return code;
    }
}
