package io.wharf.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The storage drivers Wharf knows, by Distribution's name, each with the binding of its own settings. */
final class DriverBindings {
    /** Reads one driver's section; every problem goes to the diagnostics, with a usable fallback returned. */
    interface Binder {
        DriverSettings bind(ConfigTree tree, Diagnostics diagnostics);
    }

    /** Distribution's filesystem driver never runs with fewer. */
    private static final int MIN_THREADS = 25;
    private static final String DEFAULT_ROOT = "/var/lib/registry";

    private static final Map<String, Binder> BINDERS = Map.of(
            "filesystem", DriverBindings::filesystem,
            "inmemory", (tree, diagnostics) -> new DriverSettings.InMemory(),
            "s3", S3Binding::bind);

    private DriverBindings() {
    }

    static Set<String> names() {
        return new TreeSet<>(BINDERS.keySet());
    }

    static boolean known(String name) {
        return BINDERS.containsKey(name);
    }

    static DriverSettings bind(String name, ConfigTree tree, Diagnostics diagnostics) {
        return BINDERS.get(name).bind(tree, diagnostics);
    }

    private static DriverSettings filesystem(ConfigTree tree, Diagnostics diagnostics) {
        String root = tree.string("storage.filesystem.rootdirectory", DEFAULT_ROOT);
        Path path;
        try {
            // Kept relative when written relative: the caller resolves it against its working directory.
            path = Path.of(root);
        } catch (InvalidPathException e) {
            diagnostics.error("storage.filesystem.rootdirectory", "not a valid path: " + e.getMessage(),
                    tree.node("storage.filesystem.rootdirectory").orElseThrow());
            path = Path.of(DEFAULT_ROOT);
        }
        int threads = Math.max(MIN_THREADS, tree.integer("storage.filesystem.maxthreads",
                DriverSettings.Filesystem.DEFAULT_MAX_THREADS));
        return new DriverSettings.Filesystem(path, threads);
    }
}
