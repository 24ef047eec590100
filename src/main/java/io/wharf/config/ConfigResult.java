package io.wharf.config;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of loading a configuration: the configuration when it is usable, and every problem found.
 *
 * @param config the configuration; null exactly when {@code errors} is not empty
 * @param warnings problems that do not stop the registry (unknown keys, deprecated or inactive sections), each
 *     naming the key and where it was written
 * @param errors problems that stop the registry, each naming the key, what was expected and where it was written
 */
public record ConfigResult(RegistryConfig config, List<String> warnings, List<String> errors) {

    /** @throws IllegalArgumentException when {@code config} is null without errors, or present with errors */
    public ConfigResult {
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
        if ((config == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("config must be null exactly when there are errors");
        }
    }

    /** Whether the configuration is usable: there are no errors, and {@link #config()} is not null. */
    public boolean valid() {
        return errors.isEmpty();
    }

    static ConfigResult of(RegistryConfig config, Diagnostics diagnostics) {
        Objects.requireNonNull(config);
        return diagnostics.hasErrors()
                ? new ConfigResult(null, diagnostics.warnings(), diagnostics.errors())
                : new ConfigResult(config, diagnostics.warnings(), List.of());
    }

    static ConfigResult failed(Diagnostics diagnostics) {
        return new ConfigResult(null, diagnostics.warnings(), diagnostics.errors());
    }
}
