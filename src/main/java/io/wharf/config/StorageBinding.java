package io.wharf.config;

import io.wharf.config.RegistryConfig.Storage;
import io.wharf.config.RegistryConfig.UploadPurging;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Binds {@code storage}: exactly one driver, and the settings beside it. */
final class StorageBinding {

    private static final Set<String> SUPPORTED_DRIVERS = Set.of("filesystem", "inmemory");
    /** Distribution's filesystem driver never runs with fewer. */
    private static final int MIN_THREADS = 25;
    private static final String DEFAULT_ROOT = "/var/lib/registry";

    private StorageBinding() {
    }

    /** The storage settings; with a driver problem reported, the driver reads as {@code filesystem}. */
    static Storage bind(ConfigTree tree, Diagnostics diagnostics) {
        String driver = driver(tree, diagnostics);
        return new Storage(driver, rootDirectory(tree, diagnostics),
                Math.max(MIN_THREADS, tree.integer("storage.filesystem.maxthreads", Storage.DEFAULT_MAX_THREADS)),
                tree.bool("storage.delete.enabled", false),
                tree.bool("storage.maintenance.readonly.enabled", false),
                uploadPurging(tree),
                blobDescriptorCache(tree, diagnostics),
                nonNegative(tree, "storage.cache.blobdescriptorsize", Storage.DEFAULT_BLOB_DESCRIPTOR_CACHE_SIZE,
                        diagnostics),
                tree.bool("storage.redirect.disable", false),
                nonNegative(tree, "storage.tag.concurrencylimit", 0, diagnostics));
    }

    private static String driver(ConfigTree tree, Diagnostics diagnostics) {
        List<String> drivers = tree.entries("storage").keySet().stream()
                .filter(key -> !RegistrySchema.STORAGE_SETTINGS.contains(key)).toList();
        if (drivers.isEmpty()) {
            diagnostics.error("storage: no storage driver configured; set storage.filesystem.rootdirectory "
                    + "or storage: inmemory");
        } else if (drivers.size() > 1) {
            diagnostics.error("storage: exactly one storage driver may be configured, found "
                    + String.join(", ", drivers));
        }
        drivers.stream().filter(d -> !SUPPORTED_DRIVERS.contains(d)).forEach(d -> diagnostics.error(
                "storage." + d, "storage driver " + d + " is not supported yet by this version of Wharf "
                        + "(supported: filesystem, inmemory)", tree.entries("storage").get(d)));
        boolean usable = drivers.size() == 1 && SUPPORTED_DRIVERS.contains(drivers.get(0));
        return usable ? drivers.get(0) : "filesystem";
    }

    private static Path rootDirectory(ConfigTree tree, Diagnostics diagnostics) {
        String root = tree.string("storage.filesystem.rootdirectory", DEFAULT_ROOT);
        try {
            // Kept relative when written relative: the caller resolves it against its working directory.
            return Path.of(root);
        } catch (InvalidPathException e) {
            diagnostics.error("storage.filesystem.rootdirectory", "not a valid path: " + e.getMessage(),
                    tree.node("storage.filesystem.rootdirectory").orElseThrow());
            return Path.of(DEFAULT_ROOT);
        }
    }

    private static UploadPurging uploadPurging(ConfigTree tree) {
        UploadPurging defaults = UploadPurging.defaults();
        String at = "storage.maintenance.uploadpurging.";
        return new UploadPurging(tree.bool(at + "enabled", defaults.enabled()),
                tree.duration(at + "age", defaults.age()), tree.duration(at + "interval", defaults.interval()),
                tree.bool(at + "dryrun", defaults.dryRun()));
    }

    /** {@code inmemory} or empty for none; {@code redis} falls back to {@code inmemory} for now. */
    private static String blobDescriptorCache(ConfigTree tree, Diagnostics diagnostics) {
        tree.node("storage.cache.layerinfo").ifPresent(n -> diagnostics.warn("storage.cache.layerinfo",
                "deprecated; use storage.cache.blobdescriptor", n));
        String path = tree.has("storage.cache.blobdescriptor") ? "storage.cache.blobdescriptor"
                : "storage.cache.layerinfo";
        String cache = tree.string(path, "");
        if (cache.equals("redis")) {
            diagnostics.warn(path, "the redis blob descriptor cache is not available yet; falls back to inmemory",
                    tree.node(path).orElseThrow());
            return "inmemory";
        }
        if (!cache.isEmpty() && !cache.equals("inmemory")) {
            // Distribution also starts without a cache here rather than failing.
            diagnostics.warn(path, "unknown cache type \"" + cache + "\"; caching disabled",
                    tree.node(path).orElseThrow());
            return "";
        }
        return cache;
    }

    private static int nonNegative(ConfigTree tree, String path, int fallback, Diagnostics diagnostics) {
        int value = tree.integer(path, fallback);
        if (value >= 0) {
            return value;
        }
        diagnostics.error(path, "must not be negative, got " + value, tree.node(path).orElseThrow());
        return fallback;
    }
}
