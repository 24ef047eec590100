package io.wharf.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable YAML value as read from the file or from one environment variable, with where it came from so
 * that every problem can point at its source. Scalars keep their original text because Distribution's YAML
 * library lets a number stand for a string ({@code version: 0.1}, {@code addr: 5000}).
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** Where this value was written, e.g. {@code config.yml line 4} or {@code environment variable REGISTRY_X}. */
    String origin();

    /** What kind of value this is, for messages: "a string", "a mapping", ... */
    String describe();

    /** How YAML resolved a plain scalar. */
    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * A scalar.
     *
     * @param text the scalar as written; empty for a null
     * @param kind how YAML resolved it
     * @param origin where it was written
     * @param quoted whether a string was written in quotes ({@code "yes"} is a string to Distribution's YAML library,
     *     {@code yes} a boolean; both reach Wharf as the string {@code yes})
     */
    record Scalar(String text, ScalarKind kind, String origin, boolean quoted) implements YamlNode {
        Scalar(String text, ScalarKind kind, String origin) {
            this(text, kind, origin, false);
        }

        static Scalar nothing(String origin) {
            return new Scalar("", ScalarKind.NULL, origin);
        }

        boolean isNull() {
            return kind == ScalarKind.NULL;
        }

        @Override
        public String describe() {
            return switch (kind) {
                case NULL -> "nothing";
                case BOOLEAN -> "the boolean " + text;
                case INTEGER, FLOAT -> "the number " + text;
                case STRING -> "the string \"" + text + "\"";
            };
        }
    }

    /**
     * A mapping, in the order its keys were written.
     *
     * @param entries key to value; never holds null values
     * @param origin where it was written
     */
    record Mapping(Map<String, YamlNode> entries, String origin) implements YamlNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        static Mapping empty(String origin) {
            return new Mapping(Map.of(), origin);
        }

        Optional<YamlNode> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        /** A copy with {@code key} set to {@code value}, keeping the key's position when it already exists. */
        Mapping with(String key, YamlNode value) {
            var copy = new LinkedHashMap<>(entries);
            copy.put(key, value);
            return new Mapping(copy, origin);
        }

        /** The existing key that equals {@code upperCaseKey} once upper-cased, as Distribution matches map keys. */
        Optional<String> keyIgnoringCase(String upperCaseKey) {
            return entries.keySet().stream().filter(k -> k.toUpperCase(Locale.ROOT).equals(upperCaseKey))
                    .findFirst();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /**
     * A sequence.
     *
     * @param items the elements; never null
     * @param origin where it was written
     */
    record Sequence(List<YamlNode> items, String origin) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        /** A copy with element {@code index} replaced, or appended when {@code index} equals the size. */
        Sequence with(int index, YamlNode value) {
            var copy = new ArrayList<>(items);
            if (index == copy.size()) {
                copy.add(value);
            } else {
                copy.set(index, value);
            }
            return new Sequence(copy, origin);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
