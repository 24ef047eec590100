package io.wharf.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the warnings and errors of one load, so that every problem is reported at once instead of only the
 * first. One instance belongs to one {@link ConfigLoader#load} call and is never shared.
 */
final class Diagnostics {

    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    void warn(String message) {
        warnings.add(message);
    }

    void error(String message) {
        errors.add(message);
    }

    /** Warns about the value at {@code path}, naming where the value was written. */
    void warn(String path, String message, YamlNode at) {
        warn(path + ": " + message + " (" + at.origin() + ")");
    }

    /** Reports an error about the value at {@code path}, naming where the value was written. */
    void error(String path, String message, YamlNode at) {
        error(path + ": " + message + " (" + at.origin() + ")");
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }
}
