package io.wharf.http;

import java.net.URI;
import org.eclipse.jetty.server.Request;

/**
 * Builds the URLs of {@code Location} and {@code Link} headers the way Distribution does: absolute,
 * from {@code http.host} when set and otherwise from the request's scheme and host (honouring
 * {@code X-Forwarded-*}); relative when {@code http.relativeurls} is on; under {@code http.prefix}.
 */
public final class UrlBuilder {
    private final String base;
    private final String prefix;
    private final boolean relative;

    /**
     * @param host {@code http.host}: an absolute URL, or empty
     * @param prefix {@code http.prefix}, normalised to start and not end with {@code /} (empty for none)
     * @param relative {@code http.relativeurls}
     */
    public UrlBuilder(String host, String prefix, boolean relative) {
        this.base = host == null || host.isBlank() ? null : stripSlash(URI.create(host.trim()).toString());
        this.prefix = prefix;
        this.relative = relative;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The URL of a registry path such as {@code /v2/name/blobs/uploads/id}. */
    public String url(Request request, String path) {
        String full = prefix + path;
        if (relative) {
            return full;
        }
        if (base != null) {
            return base + full;
        }
        String scheme = request.getHttpURI().getScheme();
        String host = Request.getServerName(request);
        int port = Request.getServerPort(request);
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + full;
    }
}
