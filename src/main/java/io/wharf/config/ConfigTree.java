package io.wharf.config;

import io.wharf.config.Schema.Kind;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Scalar;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads from a configuration tree that has already been through {@link SchemaValidator}. A value that is
 * absent, null or of the wrong type reads as the given default: its type error has been reported already, so
 * reading never reports twice.
 *
 * @param root the whole configuration
 */
record ConfigTree(Mapping root) {

    /** The value at a dotted path such as {@code storage.delete.enabled}; empty when absent or null. */
    Optional<YamlNode> node(String path) {
        YamlNode current = root;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Mapping mapping) || mapping.get(key).isEmpty()) {
                return Optional.empty();
            }
            current = mapping.get(key).get();
        }
        return current instanceof Scalar scalar && scalar.isNull() ? Optional.empty() : Optional.of(current);
    }

    /** Whether the path holds a non-null value; an empty mapping counts as present. */
    boolean has(String path) {
        return node(path).isPresent();
    }

    /** The entries of the mapping at {@code path}, or none. */
    Map<String, YamlNode> entries(String path) {
        return node(path).filter(Mapping.class::isInstance).map(n -> ((Mapping) n).entries()).orElse(Map.of());
    }

    String string(String path, String fallback) {
        return read(path, Kind.STRING, String.class).orElse(fallback);
    }

    boolean bool(String path, boolean fallback) {
        return read(path, Kind.BOOLEAN, Boolean.class).orElse(fallback);
    }

    int integer(String path, int fallback) {
        return read(path, Kind.INTEGER, Long.class).map(Long::intValue).orElse(fallback);
    }

    long longInteger(String path, long fallback) {
        return read(path, Kind.LONG, Long.class).orElse(fallback);
    }

    Duration duration(String path, Duration fallback) {
        return read(path, Kind.DURATION, Duration.class).orElse(fallback);
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String path) {
        return read(path, Kind.STRING_LIST, List.class).map(list -> (List<String>) list).orElse(List.of());
    }

    /** The key's value when it is an absolute http or https URL with a host; empty when absent or anything else. */
    Optional<java.net.URI> httpUrl(String path) {
        try {
            java.net.URI uri = java.net.URI.create(string(path, ""));
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private <T> Optional<T> read(String path, Kind kind, Class<T> type) {
        try {
            return node(path).flatMap(n -> SchemaValidator.convert(n, kind)).map(type::cast);
        } catch (IllegalArgumentException reportedAlready) {
            return Optional.empty();
        }
    }
}
