package io.wharf.config;

import io.wharf.config.RegistryConfig.Catalog;
import io.wharf.config.RegistryConfig.IndexValidation;
import io.wharf.config.RegistryConfig.Platform;
import io.wharf.config.RegistryConfig.Validation;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Binds {@code validation} and {@code catalog}. */
final class ValidationBinding {

    private static final Set<String> PLATFORM_MODES = Set.of("all", "none", "list");
    private static final int DEFAULT_MAX_ENTRIES = 1000;

    private ValidationBinding() {
    }

    static Validation bindValidation(ConfigTree tree, Diagnostics diagnostics) {
        tree.node("validation.enabled").ifPresent(n -> diagnostics.warn("validation.enabled",
                "deprecated; use validation.disabled", n));
        // As in Distribution, the deprecated "enabled: true" wins over "disabled: true".
        boolean disabled = tree.bool("validation.disabled", false) && !tree.bool("validation.enabled", false);
        return new Validation(disabled, patterns(tree, "validation.manifests.urls.allow", diagnostics),
                patterns(tree, "validation.manifests.urls.deny", diagnostics), indexes(tree, diagnostics));
    }

    /** {@code catalog.maxentries}; like Distribution, a value below 1 means the default 1000. */
    static Catalog bindCatalog(ConfigTree tree, Diagnostics diagnostics) {
        int maxEntries = tree.integer("catalog.maxentries", DEFAULT_MAX_ENTRIES);
        if (maxEntries > 0) {
            return new Catalog(maxEntries);
        }
        diagnostics.warn("catalog.maxentries", "must be positive; using " + DEFAULT_MAX_ENTRIES,
                tree.node("catalog.maxentries").orElseThrow());
        return new Catalog(DEFAULT_MAX_ENTRIES);
    }

    private static List<String> patterns(ConfigTree tree, String path, Diagnostics diagnostics) {
        List<String> patterns = tree.strings(path);
        for (int i = 0; i < patterns.size(); i++) {
            try {
                Pattern.compile(patterns.get(i));
            } catch (PatternSyntaxException e) {
                diagnostics.error(path + "[" + i + "]", "not a valid regular expression: "
                        + e.getDescription() + " in \"" + patterns.get(i) + "\"", tree.node(path).orElseThrow());
            }
        }
        return patterns;
    }

    private static IndexValidation indexes(ConfigTree tree, Diagnostics diagnostics) {
        String path = "validation.manifests.indexes.platforms";
        String mode = tree.string(path, "all").toLowerCase(Locale.ROOT);
        if (!PLATFORM_MODES.contains(mode)) {
            diagnostics.warn(path, "must be all, none or list, got \"" + mode + "\"; validating all platforms",
                    tree.node(path).orElseThrow());
            mode = "all";
        }
        return new IndexValidation(mode, platforms(tree));
    }

    private static List<Platform> platforms(ConfigTree tree) {
        var platforms = new ArrayList<Platform>();
        if (tree.node("validation.manifests.indexes.platformlist").orElse(null) instanceof Sequence list) {
            for (YamlNode item : list.items()) {
                if (item instanceof Mapping entry) {
                    var platform = new ConfigTree(entry);
                    platforms.add(new Platform(platform.string("architecture", ""), platform.string("os", "")));
                }
            }
        }
        return platforms;
    }
}
