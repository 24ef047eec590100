package io.wharf.config;

import io.wharf.config.YamlNode.Scalar;
import io.wharf.config.YamlNode.ScalarKind;
import io.wharf.config.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Converts YAML values to Java values the way Distribution's YAML library (yaml.v2) converts them into Go
 * fields. Every method returns empty when the value does not convert; the caller decides whether that is an
 * error. A null scalar never converts: callers treat it as "absent".
 */
final class Scalars {

    // YAML 1.1 booleans, which yaml.v2 accepts for a bool field.
    private static final Set<String> TRUE_WORDS = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
            "on", "On", "ON");
    private static final Set<String> FALSE_WORDS = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE",
            "off", "Off", "OFF");

    private Scalars() {
    }

    /** Any non-null scalar as text, because a Go string field takes any scalar. */
    static Optional<String> text(YamlNode node) {
        return node instanceof Scalar s && !s.isNull() ? Optional.of(s.text()) : Optional.empty();
    }

    static Optional<Boolean> bool(YamlNode node) {
        Optional<String> text = text(node);
        if (text.filter(TRUE_WORDS::contains).isPresent()) {
            return Optional.of(true);
        }
        return text.filter(FALSE_WORDS::contains).map(t -> false);
    }

    static Optional<Long> integer(YamlNode node) {
        try {
            return text(node).map(t -> Long.parseLong(t.replace("_", "")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A Go duration; an integer is a number of nanoseconds, as when Go decodes a number into a duration.
     *
     * @throws IllegalArgumentException when the value is text but not a Go duration, saying why
     */
    static Optional<Duration> duration(YamlNode node) {
        if (node instanceof Scalar s && s.kind() == ScalarKind.INTEGER) {
            return integer(node).map(Duration::ofNanos);
        }
        if (node instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            return Optional.of(GoDuration.parse(s.text()));
        }
        return Optional.empty();
    }

    /** A list whose elements are all non-null scalars. */
    static Optional<List<String>> strings(YamlNode node) {
        if (!(node instanceof Sequence sequence)) {
            return Optional.empty();
        }
        var result = new ArrayList<String>();
        for (YamlNode item : sequence.items()) {
            Optional<String> text = text(item);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            result.add(text.get());
        }
        return Optional.of(List.copyOf(result));
    }
}
