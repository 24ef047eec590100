package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's URL shapes, in the order of the distribution-spec's endpoint table. The name is
 * matched greedily so that a repository may itself contain {@code blobs} or {@code manifests}.
 */
enum Route {
    BASE("/v2/?", p -> p.length() <= 4),
    CATALOG("/v2/_catalog", p -> p.length() == 12),
    UPLOAD_START("/v2/(.+)/blobs/uploads/?", p -> p.contains("/blobs/uploads")),
    UPLOAD("/v2/(.+)/blobs/uploads/([^/]+)", p -> p.contains("/blobs/uploads/")),
    BLOB("/v2/(.+)/blobs/([^/]+)", p -> p.contains("/blobs/")),
    MANIFEST("/v2/(.+)/manifests/([^/]+)", p -> p.contains("/manifests/")),
    TAGS("/v2/(.+)/tags/list", p -> p.endsWith("/tags/list")),
    REFERRERS("/v2/(.+)/referrers/([^/]+)", p -> p.contains("/referrers/"));

    private final Pattern pattern;
    /**
     * A cheap condition every path of this shape meets, so that a path is matched only against the shapes it may
     * have: each attempt allocates a matcher, and the greedy name makes it backtrack over the whole path.
     */
    private final Predicate<String> mayMatch;

    Route(String regex, Predicate<String> mayMatch) {
        this.pattern = Pattern.compile(regex);
        this.mayMatch = mayMatch;
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

    /** The first route matching the path, or {@code null}. */
    static Match match(String path) {
        for (Route r : VALUES) {
            if (!r.mayMatch.test(path)) {
                continue;
            }
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
