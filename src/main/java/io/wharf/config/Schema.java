package io.wharf.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of Distribution's configuration: which keys exist and what each holds. One tree of these drives
 * three things, so they cannot disagree: the unknown-key and wrong-type checks, and the {@code REGISTRY_*}
 * environment overlay.
 */
sealed interface Schema permits Schema.Leaf, Schema.Section, Schema.ListOf, Schema.Anything {

    /** The kinds of single values. */
    enum Kind {
        STRING("a string"),
        BOOLEAN("true or false"),
        INTEGER("an integer"),
        /** An integer beyond the 32-bit range, such as a size in bytes. */
        LONG("an integer"),
        DURATION("a duration such as 10s, 1h30m or 500ms"),
        STRING_LIST("a list of strings, such as [a, b]"),
        SCALAR("a single value");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        /** What a value of this kind looks like, for messages. */
        String expected() {
            return expected;
        }
    }

    /** A single value of one {@link Kind}. */
    record Leaf(Kind kind) implements Schema {
    }

    /** A list whose elements all have the same shape. */
    record ListOf(Schema element) implements Schema {
    }

    /** Free-form content handed to a component as it is, such as a storage driver's parameters. */
    record Anything() implements Schema {
    }

    /**
     * A mapping.
     *
     * @param fields the fixed keys
     * @param others the shape of any other key (a map such as {@code http.headers}, or the parameters of a choice),
     *     or null when other keys are unknown
     * @param choice whether the keys beyond {@code fields} name one alternative (a storage driver, an auth
     *     provider), which may also be written as a bare name: {@code storage: inmemory}
     * @param envAliases Distribution's environment names that differ from the YAML key (it matches Go field
     *     names): upper-case alias to YAML key
     */
    record Section(Map<String, Schema> fields, Schema others, boolean choice, Map<String, String> envAliases)
            implements Schema {
        public Section {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            envAliases = Map.copyOf(envAliases);
        }

        /** The shape of {@code key}, or empty when the key is unknown here. */
        Optional<Schema> child(String key) {
            Schema fixed = fields.get(key);
            return Optional.ofNullable(fixed != null ? fixed : others);
        }

        /** The fixed key an environment-variable component names, matched without regard to case. */
        Optional<String> fieldForEnv(String upperCaseName) {
            String alias = envAliases.get(upperCaseName);
            if (alias != null) {
                return Optional.of(alias);
            }
            return fields.keySet().stream().filter(k -> k.toUpperCase(Locale.ROOT).equals(upperCaseName)).findFirst();
        }
    }
}
