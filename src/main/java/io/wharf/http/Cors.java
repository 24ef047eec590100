package io.wharf.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Cross-origin access for browser UIs: allowed origins get the CORS response headers, and a preflight
 * ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here, before and without any credential
 * check, as browsers never send credentials on a preflight.
 */
public final class Cors {
    /** Response headers a registry UI needs to read. */
    private static final String EXPOSED = "Docker-Content-Digest, Docker-Distribution-API-Version, Location, Link, "
            + "Range, WWW-Authenticate, OCI-Subject, OCI-Filters-Applied, Content-Length";
    private static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private final Set<String> origins;
    private final String allowedHeaders;
    private final long maxAgeSeconds;
    private final boolean credentials;

    /**
     * @param origins allowed origins, or {@code *} for any; empty turns CORS off
     * @param allowedHeaders request headers browsers may send
     */
    public Cors(List<String> origins, List<String> allowedHeaders, Duration maxAge, boolean credentials) {
        this.origins = Set.copyOf(origins);
        this.allowedHeaders = String.join(", ", allowedHeaders);
        this.maxAgeSeconds = maxAge.toSeconds();
        this.credentials = credentials;
    }

    /** No cross-origin access. */
    public static Cors disabled() {
        return new Cors(List.of(), List.of(), Duration.ZERO, false);
    }

    /** Whether the request is a preflight from an allowed origin, to be answered without authentication. */
    boolean isPreflight(Request request) {
        return HttpMethod.OPTIONS.is(request.getMethod()) && allowedOrigin(request) != null
                && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** Adds the CORS headers when the request comes from an allowed origin. */
    void decorate(Request request, Response response) {
        String origin = allowedOrigin(request);
        if (origin == null) {
            return;
        }
        var h = response.getHeaders();
        h.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.add(HttpHeader.VARY, "Origin");
        h.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        if (credentials) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (isPreflight(request)) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, allowedHeaders);
            h.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, maxAgeSeconds);
        }
    }

    /** The value for {@code Access-Control-Allow-Origin}, or null when the origin is not allowed. */
    private String allowedOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || origins.isEmpty()) {
            return null;
        }
        if (origins.contains(origin)) {
            return origin;
        }
        // With credentials a wildcard must be answered with the origin itself.
        return origins.contains("*") ? (credentials ? origin : "*") : null;
    }
}
