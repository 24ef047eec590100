package io.wharf.spec;

import java.util.Objects;

/**
 * A failure the client caused or must know about, carrying one {@link ErrorCode} and a detail text
 * that is safe to show to the client (never a file path or stack trace).
 */
public class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final Object detail;

    public RegistryException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public RegistryException(ErrorCode code, String detail, Throwable cause) {
        super(code.name() + ": " + detail, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.detail = detail;
    }

    /**
     * For subclasses whose detail is structured (Distribution's {@code UNAUTHORIZED} lists the access records
     * that were refused); the detail must be serialisable to JSON and safe to show.
     */
    protected RegistryException(String message, ErrorCode code, Object detail) {
        super(code.name() + ": " + message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** The client-facing detail; a string, a list of JSON-serialisable records, or {@code null}. */
    public Object detail() {
        return detail;
    }
}
