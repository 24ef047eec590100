package io.wharf.config;

import io.wharf.config.Schema.Anything;
import io.wharf.config.Schema.Leaf;
import io.wharf.config.Schema.ListOf;
import io.wharf.config.Schema.Section;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Scalar;
import io.wharf.config.YamlNode.Sequence;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies {@code REGISTRY_*} environment variables to a configuration tree the way Distribution does:
 * {@code REGISTRY_A_B_C=v} sets key {@code a.b.c}; the value is read as YAML, so {@code true}, numbers and
 * {@code [a, b]} keep their type; a fixed key is matched without regard to case; a new key of a free-form map
 * (such as {@code http.headers}) is lower-cased, an existing one is matched without regard to case; a numeric
 * component indexes a list, and the index equal to its size appends. Variables are applied in name order, so
 * {@code REGISTRY_STORAGE} comes before {@code REGISTRY_STORAGE_DELETE_ENABLED}.
 *
 * <p>Unlike Distribution, {@code REGISTRY_STORAGE=<driver>} replaces only the driver and keeps
 * {@code storage.delete}, {@code cache}, {@code maintenance}, {@code redirect} and {@code tag}.
 */
final class EnvOverlay {

    private static final String PREFIX = "REGISTRY_";
    /** The command line reads this one; it names no key. */
    private static final String CONFIGURATION_PATH = "REGISTRY_CONFIGURATION_PATH";

    private static final Set<String> NULL_WORDS = Set.of("", "~", "null", "Null", "NULL");

    private final Diagnostics diagnostics;
    private final String variable;

    private EnvOverlay(Diagnostics diagnostics, String variable) {
        this.diagnostics = diagnostics;
        this.variable = variable;
    }

    /**
     * Applies every {@code REGISTRY_*} entry of {@code env} to {@code root}; other entries are ignored.
     *
     * @return the tree with the overrides applied; variables naming no key are warned about and skipped, values
     *     that are not valid YAML or index past the end of a list are errors
     */
    static Mapping apply(Mapping root, Map<String, String> env, Section schema, Diagnostics diagnostics) {
        Mapping result = root;
        for (var entry : new TreeMap<>(env).entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(PREFIX) && !name.equals(CONFIGURATION_PATH)) {
                result = new EnvOverlay(diagnostics, name).applyOne(result, schema, entry.getValue());
            }
        }
        return result;
    }

    private Mapping applyOne(Mapping root, Section schema, String value) {
        List<String> path = List.of(variable.substring(PREFIX.length()).split("_", -1));
        if (path.equals(List.of("VERSION"))) {
            diagnostics.warn("environment variable " + variable + " is ignored: the version cannot be overridden");
            return root;
        }
        Optional<YamlNode> payload = YamlTreeReader.read(value, "environment variable " + variable, false,
                diagnostics).filter(p -> readsAsWritten(p, value));
        return payload.map(p -> (Mapping) set(root, schema, path, p, "")).orElse(root);
    }

    /**
     * Whether a value that YAML reads as nothing was meant as nothing. Values such as {@code #x} (a comment) or
     * {@code %x} (a directive) also read as nothing; Distribution then silently sets an empty value, which for a
     * secret or a path is never what was meant, so this is an error here.
     */
    private boolean readsAsWritten(YamlNode payload, String value) {
        if (!(payload instanceof Scalar scalar) || !scalar.isNull() || NULL_WORDS.contains(value.strip())) {
            return true;
        }
        diagnostics.error("environment variable " + variable + ": the value \"" + value + "\" reads as nothing in "
                + "YAML; quote it, e.g. '\"" + value + "\"'");
        return false;
    }

    /** Returns {@code current} with the value at {@code path} (relative to it) set to {@code payload}. */
    private YamlNode set(YamlNode current, Schema schema, List<String> path, YamlNode payload, String where) {
        return switch (schema) {
            case Section section -> setInSection(asMapping(current), section, path, payload, where);
            case ListOf list -> setInList(asSequence(current), list.element(), path, payload, where);
            case Anything any -> current instanceof Sequence sequence
                    ? setInList(sequence, any, path, payload, where)
                    : setInSection(asMapping(current), new Section(Map.of(), any, false, Map.of()), path, payload,
                            where);
            case Leaf leaf -> unknown(current, where, path.get(0));
        };
    }

    private YamlNode setInSection(Mapping mapping, Section schema, List<String> path, YamlNode payload,
            String where) {
        String component = path.get(0);
        Optional<String> key = schema.fieldForEnv(component)
                .or(() -> Optional.ofNullable(schema.others()).flatMap(o -> mapping.keyIgnoringCase(component)))
                .or(() -> Optional.ofNullable(schema.others()).map(o -> component.toLowerCase(Locale.ROOT)));
        if (key.isEmpty()) {
            return unknown(mapping, where, component);
        }
        Schema childSchema = schema.child(key.get()).orElseThrow();
        String childWhere = where.isEmpty() ? key.get() : where + "." + key.get();
        YamlNode existing = mapping.get(key.get()).orElse(Scalar.nothing(payload.origin()));
        YamlNode replacement = path.size() == 1
                ? replace(existing, childSchema, payload)
                : set(existing, childSchema, path.subList(1, path.size()), payload, childWhere);
        return mapping.with(key.get(), replacement);
    }

    private YamlNode setInList(Sequence sequence, Schema element, List<String> path, YamlNode payload,
            String where) {
        String component = path.get(0);
        if (!component.matches("[0-9]+") || Integer.parseInt(component) > sequence.items().size()) {
            diagnostics.error("environment variable " + variable + ": " + where + " has no element " + component
                    + " (it has " + sequence.items().size() + "; the next index appends)");
            return sequence;
        }
        int index = Integer.parseInt(component);
        YamlNode existing = index < sequence.items().size() ? sequence.items().get(index)
                : Scalar.nothing(payload.origin());
        YamlNode replacement = path.size() == 1 ? payload
                : set(existing, element, path.subList(1, path.size()), payload, where + "[" + index + "]");
        return sequence.with(index, replacement);
    }

    /** The new value of a key the variable names exactly. */
    private static YamlNode replace(YamlNode existing, Schema schema, YamlNode payload) {
        if (schema instanceof Section section && section.choice() && payload instanceof Scalar name
                && !name.isNull()) {
            return ChoiceSections.rename(existing, name);
        }
        return payload;
    }

    private YamlNode unknown(YamlNode current, String where, String component) {
        String parent = where.isEmpty() ? "the top level" : where;
        diagnostics.warn("environment variable " + variable + " names no configuration key (" + parent
                + " has no key " + component.toLowerCase(Locale.ROOT) + "), ignored");
        return current;
    }

    private static Mapping asMapping(YamlNode node) {
        // A scalar or list here is replaced: the variable overrides whatever the file had.
        return node instanceof Mapping mapping ? mapping : Mapping.empty(node.origin());
    }

    private static Sequence asSequence(YamlNode node) {
        return node instanceof Sequence sequence ? sequence : new Sequence(List.of(), node.origin());
    }
}
