package io.wharf.config;

import io.wharf.config.Schema.Section;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Scalar;
import io.wharf.config.YamlNode.ScalarKind;
import java.util.LinkedHashMap;

/**
 * Sections whose keys name one alternative, {@code storage} (the driver) and {@code auth} (the provider),
 * which Distribution also accepts as a bare name: {@code storage: inmemory} means {@code storage: {inmemory: }}.
 */
final class ChoiceSections {

    private ChoiceSections() {
    }

    /** {@code root} with every bare-name choice section written out as a mapping. */
    static Mapping expandBareNames(Mapping root, Section schema) {
        Mapping result = root;
        for (var entry : root.entries().entrySet()) {
            boolean choice = schema.child(entry.getKey()).filter(s -> s instanceof Section section
                    && section.choice()).isPresent();
            if (choice && entry.getValue() instanceof Scalar name && name.kind() == ScalarKind.STRING) {
                result = result.with(entry.getKey(), rename(Scalar.nothing(name.origin()), name));
            }
        }
        return result;
    }

    /**
     * Chooses the alternative {@code name}, dropping the previous one but keeping the section's settings (for
     * {@code storage}: delete, redirect, cache, maintenance, tag).
     */
    static Mapping rename(YamlNode existing, Scalar name) {
        var entries = new LinkedHashMap<String, YamlNode>();
        if (existing instanceof Mapping mapping) {
            mapping.entries().forEach((key, value) -> {
                // Only storage has settings beside its choice; auth's keys are all providers.
                if (RegistrySchema.STORAGE_SETTINGS.contains(key)) {
                    entries.put(key, value);
                }
            });
        }
        entries.put(name.text(), Scalar.nothing(name.origin()));
        return new Mapping(entries, name.origin());
    }
}
