package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's URL shapes, in the order of the distribution-spec's endpoint table. The name is
 * matched greedily so that a repository may itself contain {@code blobs} or {@code manifests}.
 */
enum Route {
    BASE("/v2/?"),
    CATALOG("/v2/_catalog"),
    UPLOAD_START("/v2/(.+)/blobs/uploads/?"),
    UPLOAD("/v2/(.+)/blobs/uploads/([^/]+)"),
    BLOB("/v2/(.+)/blobs/([^/]+)"),
    MANIFEST("/v2/(.+)/manifests/([^/]+)"),
    TAGS("/v2/(.+)/tags/list"),
    REFERRERS("/v2/(.+)/referrers/([^/]+)");

    private final Pattern pattern;

    Route(String regex) {
        this.pattern = Pattern.compile(regex);
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

    /** The first route matching the path, or {@code null}. */
    static Match match(String path) {
        for (Route r : values()) {
            Matcher m = r.pattern.matcher(path);
            if (m.matches()) {
                String name = m.groupCount() >= 1 ? m.group(1) : null;
                String arg = m.groupCount() >= 2 ? m.group(2) : null;
                return new Match(r, name, arg);
            }
        }
        return null;
    }
}
