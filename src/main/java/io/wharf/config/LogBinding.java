package io.wharf.config;

import io.wharf.config.RegistryConfig.Log;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Binds {@code log} and the deprecated top-level {@code loglevel}. */
final class LogBinding {

    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug");
    private static final Set<String> FORMATTERS = Set.of("text", "json", "logstash");

    private LogBinding() {
    }

    static Log bind(ConfigTree tree, Diagnostics diagnostics) {
        Log defaults = Log.defaults();
        return new Log(level(tree, defaults.level(), diagnostics), formatter(tree, defaults.formatter(), diagnostics),
                fields(tree), tree.bool("log.accesslog.disabled", defaults.accessLogDisabled()));
    }

    /** {@code log.level}, else the deprecated {@code loglevel}, lower-cased as Distribution does. */
    private static String level(ConfigTree tree, String fallback, Diagnostics diagnostics) {
        tree.node("loglevel").ifPresent(n -> diagnostics.warn("loglevel", "deprecated; use log.level", n));
        String path = tree.has("log.level") ? "log.level" : "loglevel";
        String level = tree.string(path, fallback).toLowerCase(Locale.ROOT);
        if (LEVELS.contains(level)) {
            return level;
        }
        diagnostics.error(path, "must be one of error, warn, info, debug; got \"" + level + "\"",
                tree.node(path).orElseThrow());
        return fallback;
    }

    private static String formatter(ConfigTree tree, String fallback, Diagnostics diagnostics) {
        String formatter = tree.string("log.formatter", fallback);
        if (!FORMATTERS.contains(formatter)) {
            diagnostics.error("log.formatter", "must be one of text, json, logstash; got \"" + formatter + "\"",
                    tree.node("log.formatter").orElseThrow());
            return fallback;
        }
        return formatter;
    }

    private static Map<String, String> fields(ConfigTree tree) {
        var fields = new LinkedHashMap<String, String>();
        tree.entries("log.fields").forEach((key, value) -> Scalars.text(value).ifPresent(t -> fields.put(key, t)));
        return fields;
    }
}
