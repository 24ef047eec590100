package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.util.List;

/**
 * The registry's URL shapes, in the order of the distribution-spec's endpoint table ({@link #match} has them).
 */
enum Route {
    BASE(null, false),
    CATALOG(null, false),
    UPLOAD_START("/blobs/uploads", false),
    UPLOAD("/blobs/uploads", true),
    BLOB("/blobs", true),
    MANIFEST("/manifests", true),
    TAGS("/tags/list", false),
    REFERRERS("/referrers", true);

    private static final String V2 = "/v2/";

    /** What follows the name: the rest of the path, or (with an argument) the part before its last segment. */
    private final String afterName;
    private final boolean argument;

    Route(String afterName, boolean argument) {
        this.afterName = afterName;
        this.argument = argument;
    }

    /**
     * A matched request path, its repository name parsed once for every step after routing.
     */
    static final class Match {
        private final Route route;
        private final RepositoryName repository;
        private final RegistryException nameError;
        private final String argument;

        private Match(Route route, String rawName, String argument) {
            this.route = route;
            this.argument = argument;
            RepositoryName parsed = null;
            RegistryException error = null;
            if (rawName != null) {
                try {
                    parsed = RepositoryName.parse(rawName);
                } catch (RegistryException e) {
                    error = e;
                }
            }
            this.repository = parsed;
            this.nameError = error;
        }

        Route route() {
            return route;
        }

        /**
         * The repository the path names.
         *
         * @throws RegistryException {@code NAME_INVALID} for a malformed name (raised only when a step asks, so
         *     that an unsupported method is still answered 405 first); {@code NAME_UNKNOWN} on a route without one
         */
        RepositoryName repository() {
            if (nameError != null) {
                throw nameError;
            }
            if (repository == null) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "this endpoint names no repository");
            }
            return repository;
        }

        /** The raw last segment (digest, reference, upload id), or {@code null}. */
        String argument() {
            return argument;
        }
    }

    /**
     * The code for a request body that broke off or was malformed on this route: the spec's code for an upload or a
     * manifest that cannot be accepted as sent, otherwise Wharf's {@code REQUEST_INVALID}.
     */
    ErrorCode invalidBodyCode() {
        return switch (this) {
            case UPLOAD, UPLOAD_START -> ErrorCode.BLOB_UPLOAD_INVALID;
            case MANIFEST -> ErrorCode.MANIFEST_INVALID;
            default -> ErrorCode.REQUEST_INVALID;
        };
    }

    /** {@link #values()} without the copy each call makes. */
    private static final List<Route> VALUES = List.of(values());

    /**
     * The first route matching the path, or {@code null}. The shapes are those of the spec's endpoint table:
     * {@code /v2/?}, {@code /v2/_catalog}, {@code /v2/<name>/blobs/uploads/?}, {@code /v2/<name>/tags/list}, and
     * {@code /v2/<name>/<blobs|blobs/uploads|manifests|referrers>/<argument>}, where the name is any non-empty text
     * without a line break (matched greedily, so a name may contain {@code blobs} or {@code manifests}) and the
     * argument the non-empty last segment. Scanned by hand rather than by regular expressions: routing ran for
     * every request and its matchers, backtracking over the whole path, were a tenth of a manifest {@code HEAD}.
     */
    static Match match(String path) {
        if (path.equals("/v2") || path.equals("/v2/")) {
            return new Match(BASE, null, null);
        }
        if (!path.startsWith(V2)) {
            return null;
        }
        if (path.equals("/v2/_catalog")) {
            return new Match(CATALOG, null, null);
        }
        int lastSlash = path.lastIndexOf('/');
        for (Route r : VALUES) {
            if (r.afterName == null) {
                continue;
            }
            int nameEnd = r.nameEnd(path, lastSlash);
            if (nameEnd > V2.length() && hasNoLineBreak(path, V2.length(), nameEnd)) {
                String arg = r.argument ? path.substring(lastSlash + 1) : null;
                return new Match(r, path.substring(V2.length(), nameEnd), arg);
            }
        }
        return null;
    }

    /** Where the name would end if the path had this shape, or -1. */
    private int nameEnd(String path, int lastSlash) {
        int end;
        if (argument) {
            if (lastSlash == path.length() - 1) {
                return -1;
            }
            end = lastSlash;
        } else {
            end = this == UPLOAD_START && path.endsWith("/") ? path.length() - 1 : path.length();
        }
        return path.startsWith(afterName, end - afterName.length()) ? end - afterName.length() : -1;
    }

    /** What a regular expression's {@code .} matches: no line terminator. */
    private static boolean hasNoLineBreak(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }
}
