package io.wharf.config;

import io.wharf.config.Schema.Anything;
import io.wharf.config.Schema.Kind;
import io.wharf.config.Schema.Leaf;
import io.wharf.config.Schema.ListOf;
import io.wharf.config.Schema.Section;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Scalar;
import io.wharf.config.YamlNode.Sequence;
import java.util.Optional;

/**
 * Checks a configuration tree against a {@link Schema}: an unknown key is a warning (Distribution ignores
 * them too, and a typo should not stop a registry), a value of the wrong type is an error. Both name the full
 * dotted key path and where the value was written. A null value is always accepted: it means "absent".
 */
final class SchemaValidator {

    private final Diagnostics diagnostics;

    private SchemaValidator(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Reports every unknown key and wrong type under {@code root}. */
    static void check(Mapping root, Section schema, Diagnostics diagnostics) {
        new SchemaValidator(diagnostics).section(root, schema, "");
    }

    private void check(YamlNode node, Schema schema, String path) {
        if (node instanceof Scalar scalar && scalar.isNull()) {
            return;
        }
        switch (schema) {
            case Anything any -> { }
            case Leaf leaf -> leaf(node, leaf.kind(), path);
            case ListOf list -> list(node, list, path);
            case Section section -> section(node, section, path);
        }
    }

    private void section(YamlNode node, Section schema, String path) {
        if (!(node instanceof Mapping mapping)) {
            diagnostics.error(path, "expected a mapping of keys to values, got " + node.describe(), node);
            return;
        }
        mapping.entries().forEach((key, value) -> {
            String childPath = path.isEmpty() ? key : path + "." + key;
            Optional<Schema> child = schema.child(key);
            if (child.isPresent()) {
                check(value, child.get(), childPath);
            } else {
                diagnostics.warn(childPath, "unknown key, ignored", value);
            }
        });
    }

    private void list(YamlNode node, ListOf schema, String path) {
        if (!(node instanceof Sequence sequence)) {
            diagnostics.error(path, "expected a list, got " + node.describe(), node);
            return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
            check(sequence.items().get(i), schema.element(), path + "[" + i + "]");
        }
    }

    private void leaf(YamlNode node, Kind kind, String path) {
        try {
            if (convert(node, kind).isEmpty()) {
                diagnostics.error(path, "expected " + kind.expected() + ", got " + node.describe(), node);
            }
        } catch (IllegalArgumentException e) {
            diagnostics.error(path, "expected " + kind.expected() + ", got " + node.describe() + ": "
                    + e.getMessage(), node);
        }
    }

    /** Converts {@code node} to {@code kind}, empty when it does not fit; durations may throw with a reason. */
    static Optional<?> convert(YamlNode node, Kind kind) {
        return switch (kind) {
            case STRING, SCALAR -> Scalars.text(node);
            case BOOLEAN -> Scalars.bool(node);
            case INTEGER -> Scalars.integer(node).filter(v -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE);
            case LONG -> Scalars.integer(node);
            case DURATION -> Scalars.duration(node);
            case STRING_LIST -> Scalars.strings(node);
        };
    }
}
