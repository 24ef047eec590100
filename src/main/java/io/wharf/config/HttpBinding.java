package io.wharf.config;

import io.wharf.config.RegistryConfig.Http;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds the parts of {@code http} Wharf acts on; TLS and CORS by {@link TlsBinding}. */
final class HttpBinding {

    private static final Set<String> NETWORKS = Set.of("tcp", "unix");
    /** Where Distribution's own image listens; Distribution itself has no default. */
    private static final String DEFAULT_ADDR = ":5000";

    private HttpBinding() {
    }

    static Http bind(ConfigTree tree, Diagnostics diagnostics) {
        return new Http(addr(tree, diagnostics), net(tree, diagnostics), prefix(tree, diagnostics),
                host(tree, diagnostics), tree.string("http.secret", ""), tree.bool("http.relativeurls", false),
                headers(tree), tree.duration("http.draintimeout", Duration.ZERO), TlsBinding.tls(tree, diagnostics),
                tree.bool("http.http2.disabled", false), TlsBinding.cors(tree), clients(tree, diagnostics));
    }

    /** {@code http.timeouts} and {@code http.trustedproxies}, each problem reported with its place. */
    private static RegistryConfig.ClientLimits clients(ConfigTree tree, Diagnostics diagnostics) {
        var d = RegistryConfig.ClientLimits.defaults();
        Duration header = positive(tree, "http.timeouts.header", d.headerTimeout(), diagnostics);
        Duration idle = positive(tree, "http.timeouts.idle", d.idleTimeout(), diagnostics);
        Duration window = positive(tree, "http.timeouts.ratewindow", d.rateWindow(), diagnostics);
        long minRate = tree.integer("http.timeouts.minrate", (int) d.minDataRate());
        if (minRate < 0) {
            diagnostics.error("http.timeouts.minrate", "must be 0 (off) or more bytes per second, got " + minRate,
                    tree.node("http.timeouts.minrate").orElseThrow());
            minRate = d.minDataRate();
        }
        List<AddressRange> proxies = new ArrayList<>();
        for (String text : tree.strings("http.trustedproxies")) {
            try {
                proxies.add(AddressRange.parse(text));
            } catch (IllegalArgumentException e) {
                diagnostics.error("http.trustedproxies", e.getMessage(), tree.node("http.trustedproxies").orElseThrow());
            }
        }
        return new RegistryConfig.ClientLimits(header, idle, minRate, window, proxies);
    }

    private static Duration positive(ConfigTree tree, String path, Duration fallback, Diagnostics diagnostics) {
        Duration value = tree.duration(path, fallback);
        if (value.isNegative() || value.isZero()) {
            diagnostics.error(path, "must be a positive duration such as 30s, got " + value,
                    tree.node(path).orElseThrow());
            return fallback;
        }
        return value;
    }

    /** {@code host:port}, {@code :port} or {@code [v6]:port}, with a port from 0 to 65535. */
    private static String addr(ConfigTree tree, Diagnostics diagnostics) {
        String addr = tree.string("http.addr", DEFAULT_ADDR);
        int colon = addr.lastIndexOf(':');
        String host = colon < 0 ? "" : addr.substring(0, colon);
        boolean portOk;
        try {
            int port = Integer.parseInt(addr.substring(colon + 1));
            portOk = colon >= 0 && port >= 0 && port <= 65535;
        } catch (NumberFormatException e) {
            portOk = false;
        }
        boolean hostOk = !host.contains(":") || (host.startsWith("[") && host.endsWith("]"));
        if (!portOk || !hostOk) {
            YamlNode at = tree.node("http.addr").orElse(null);
            String message = "must be host:port, :port or [ipv6]:port, got \"" + addr + "\"";
            if (at != null) {
                diagnostics.error("http.addr", message, at);
            } else {
                diagnostics.error("http.addr: " + message);
            }
        }
        return addr;
    }

    private static String net(ConfigTree tree, Diagnostics diagnostics) {
        String net = tree.string("http.net", "tcp");
        if (net.equals("unix")) {
            // Jetty 12.1 core has no Unix-domain server connector; refuse rather than listen somewhere else.
            diagnostics.error("http.net", "unix sockets are not supported by Wharf; use tcp",
                    tree.node("http.net").orElseThrow());
            return "tcp";
        }
        if (NETWORKS.contains(net)) {
            return net;
        }
        diagnostics.error("http.net", "must be tcp or unix, got \"" + net + "\"", tree.node("http.net").orElseThrow());
        return "tcp";
    }

    private static String prefix(ConfigTree tree, Diagnostics diagnostics) {
        String prefix = tree.string("http.prefix", "/");
        if (prefix.startsWith("/")) {
            return prefix;
        }
        diagnostics.error("http.prefix", "must start with /, such as /my/registry/, got \"" + prefix + "\"",
                tree.node("http.prefix").orElseThrow());
        return "/";
    }

    /** Empty, or an absolute URL: Distribution builds {@code Location} headers from it. */
    private static String host(ConfigTree tree, Diagnostics diagnostics) {
        String host = tree.string("http.host", "");
        if (host.isEmpty() || isAbsoluteUrl(host)) {
            return host;
        }
        diagnostics.error("http.host", "must be an absolute URL such as https://registry.example.com:5000, got \""
                + host + "\"", tree.node("http.host").orElseThrow());
        return "";
    }

    private static boolean isAbsoluteUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Map<String, List<String>> headers(ConfigTree tree) {
        var headers = new LinkedHashMap<String, List<String>>();
        tree.entries("http.headers").forEach((name, values) ->
                Scalars.strings(values).ifPresent(list -> headers.put(name, list)));
        return headers;
    }
}
