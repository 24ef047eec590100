package io.wharf.spec;

/**
 * The error codes of the OCI Distribution Specification (section "Error Codes") plus the few that
 * CNCF Distribution adds and clients know, each with the HTTP status it is rendered with.
 *
 * <p>This enum is the only place that maps an error to a status; the HTTP layer renders it.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /** Distribution's code for a chunk whose range does not continue the upload (416). */
    RANGE_INVALID(416, "invalid content range"),
    /** Distribution's code for bad {@code n}/{@code last} paging parameters. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** Wharf: malformed HTTP or a request no endpoint accepts in that form. */
    REQUEST_INVALID(400, "request invalid"),
    /** Wharf: no endpoint at that path. */
    NOT_FOUND(404, "no such endpoint"),
    /** Wharf: the request body is larger than the endpoint accepts (manifests: 4 MiB). */
    SIZE_TOO_LARGE(413, "request body too large"),
    /** Wharf: the request URI is longer than the server accepts. */
    URI_TOO_LONG(414, "request URI too long"),
    /** Wharf: the request headers are larger than the server accepts. */
    HEADERS_TOO_LARGE(431, "request header fields too large"),
    /** Wharf: a mirrored registry answered with an error or garbage, and nothing usable is cached. */
    UPSTREAM_FAILED(502, "upstream registry failed"),
    /** Wharf: a mirrored registry did not answer in time, and nothing usable is cached. */
    UPSTREAM_TIMEOUT(504, "upstream registry timed out"),
    UNAVAILABLE(503, "service unavailable"),
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** The short human-readable message of the spec's error body. */
    public String message() {
        return message;
    }

    /** The code used for an error the HTTP server raised itself with this status. */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.status == status && c.ordinal() >= REQUEST_INVALID.ordinal()) {
                return c;
            }
        }
        for (ErrorCode c : values()) {
            if (c.status == status) {
                return c;
            }
        }
        return status >= 500 ? UNKNOWN : REQUEST_INVALID;
    }
}
