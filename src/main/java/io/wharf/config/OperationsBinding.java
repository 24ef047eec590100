package io.wharf.config;

import io.wharf.config.RegistryConfig.Debug;
import io.wharf.config.RegistryConfig.FileCheck;
import io.wharf.config.RegistryConfig.Health;
import io.wharf.config.RegistryConfig.HttpCheck;
import io.wharf.config.RegistryConfig.Operations;
import io.wharf.config.RegistryConfig.StorageCheck;
import io.wharf.config.RegistryConfig.TcpCheck;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Binds {@code http.debug} and {@code health} with Distribution's keys and defaults. */
final class OperationsBinding {
    private static final Duration INTERVAL = Health.DEFAULT_INTERVAL;

    private OperationsBinding() {
    }

    static Operations bind(ConfigTree tree, Diagnostics diagnostics) {
        return new Operations(debug(tree, diagnostics), health(tree, diagnostics));
    }

    private static Debug debug(ConfigTree tree, Diagnostics diagnostics) {
        String addr = tree.string("http.debug.addr", "");
        boolean prometheus = tree.bool("http.debug.prometheus.enabled", false);
        String path = tree.string("http.debug.prometheus.path", "/metrics");
        if (!path.startsWith("/")) {
            diagnostics.error("http.debug.prometheus.path", "must start with /, got \"" + path + "\"",
                    tree.node("http.debug.prometheus.path").orElseThrow());
            path = "/metrics";
        }
        if (addr.isEmpty() && prometheus) {
            tree.node("http.debug.prometheus").ifPresent(n -> diagnostics.warn("http.debug.prometheus",
                    "has no effect without http.debug.addr: metrics are served on the debug listener", n));
        }
        return new Debug(addr, prometheus, path);
    }

    private static Health health(ConfigTree tree, Diagnostics diagnostics) {
        StorageCheck storage = new StorageCheck(tree.bool("health.storagedriver.enabled", false),
                interval(tree, "health.storagedriver.interval", diagnostics),
                threshold(tree, "health.storagedriver.threshold", diagnostics));
        List<FileCheck> files = list(tree, "health.file", diagnostics, (entry, at) -> {
            String file = entry.string("file", "");
            if (file.isEmpty()) {
                diagnostics.error(at + ".file: is required");
                return null;
            }
            return new FileCheck(Path.of(file), interval(entry, "interval", diagnostics),
                    threshold(entry, "threshold", diagnostics));
        });
        List<HttpCheck> http = list(tree, "health.http", diagnostics, (entry, at) -> {
            String uri = entry.string("uri", "");
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
            if (parsed == null || parsed.getHost() == null
                    || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
                diagnostics.error(at + ".uri: must be an http or https URL, got \"" + uri + "\"");
                return null;
            }
            Duration interval = interval(entry, "interval", diagnostics);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            entry.entries("headers").forEach((name, values) ->
                    Scalars.strings(values).ifPresent(v -> headers.put(name, v)));
            // Distribution waits forever without a timeout; a check that outlasts its interval fails anyway.
            return new HttpCheck(parsed, headers, entry.integer("statuscode", 200),
                    positive(entry.duration("timeout", Duration.ZERO), interval), interval,
                    threshold(entry, "threshold", diagnostics));
        });
        List<TcpCheck> tcp = list(tree, "health.tcp", diagnostics, (entry, at) -> {
            String addr = entry.string("addr", "");
            if (addr.lastIndexOf(':') <= 0) {
                diagnostics.error(at + ".addr: must be host:port, got \"" + addr + "\"");
                return null;
            }
            Duration interval = interval(entry, "interval", diagnostics);
            return new TcpCheck(addr, positive(entry.duration("timeout", Duration.ZERO), interval), interval,
                    threshold(entry, "threshold", diagnostics));
        });
        return new Health(storage, files, http, tcp);
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value.isZero() || value.isNegative() ? fallback : value;
    }

    private static Duration interval(ConfigTree tree, String path, Diagnostics diagnostics) {
        Duration d = tree.duration(path, INTERVAL);
        if (d.isNegative()) {
            diagnostics.error(path, "must not be negative", tree.node(path).orElseThrow());
            return INTERVAL;
        }
        // Distribution: 0 means the default.
        return d.isZero() ? INTERVAL : d;
    }

    /** Distribution: 0 or absent means a single failure turns the check unhealthy. */
    private static int threshold(ConfigTree tree, String path, Diagnostics diagnostics) {
        int t = tree.integer(path, 0);
        if (t < 0) {
            diagnostics.error(path, "must not be negative", tree.node(path).orElseThrow());
        }
        return Math.max(1, t);
    }

    private static <T> List<T> list(ConfigTree tree, String path, Diagnostics diagnostics,
            BiFunction<ConfigTree, String, T> each) {
        List<T> out = new ArrayList<>();
        if (tree.node(path).orElse(null) instanceof Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                if (seq.items().get(i) instanceof Mapping m) {
                    T item = each.apply(new ConfigTree(m), path + "[" + i + "]");
                    if (item != null) {
                        out.add(item);
                    }
                }
            }
        }
        return out;
    }
}
