package io.wharf.config;

import io.wharf.config.RegistryConfig.Storage;
import io.wharf.config.RegistryConfig.UploadPurging;
import java.util.List;

/** Binds {@code storage}: exactly one driver, and the settings beside it. */
final class StorageBinding {


    private StorageBinding() {
    }

    /** The storage settings; with a driver problem reported, the driver reads as the default filesystem. */
    static Storage bind(ConfigTree tree, Diagnostics diagnostics) {
        return new Storage(driver(tree, diagnostics),
                deletesEnabled(tree, diagnostics),
                tree.bool("storage.maintenance.readonly.enabled", false),
                uploadPurging(tree),
                blobDescriptorCache(tree, diagnostics),
                nonNegative(tree, "storage.cache.blobdescriptorsize", Storage.DEFAULT_BLOB_DESCRIPTOR_CACHE_SIZE,
                        diagnostics),
                tree.bool("storage.redirect.disable", false),
                nonNegative(tree, "storage.tag.concurrencylimit", 0, diagnostics));
    }

    /**
     * {@code storage.delete.enabled}, except that a quoted value ({@code "true"}, {@code "yes"}) keeps deletes off,
     * with a warning. Distribution reads this key as whatever YAML made of it and enables deletes only for a boolean,
     * so a file written {@code enabled: "true"} (as Helm's {@code quote} writes it) has kept them off there; the same
     * file must not start deleting when the registry behind it changes.
     */
    private static boolean deletesEnabled(ConfigTree tree, Diagnostics diagnostics) {
        String path = "storage.delete.enabled";
        if (tree.node(path).orElse(null) instanceof YamlNode.Scalar s && s.kind() == YamlNode.ScalarKind.STRING
                && s.quoted()) {
            diagnostics.warn(path, "is " + s.describe() + ", not a boolean; Distribution then keeps deletes off, and "
                    + "so does Wharf: write " + s.text().toLowerCase(java.util.Locale.ROOT)
                    + " without quotes to decide", s);
            return false;
        }
        return tree.bool(path, false);
    }

    private static DriverSettings driver(ConfigTree tree, Diagnostics diagnostics) {
        List<String> drivers = tree.entries("storage").keySet().stream()
                .filter(key -> !RegistrySchema.STORAGE_SETTINGS.contains(key)).toList();
        if (drivers.isEmpty()) {
            diagnostics.error("storage: no storage driver configured; set storage.filesystem.rootdirectory "
                    + "or storage: inmemory");
        } else if (drivers.size() > 1) {
            diagnostics.error("storage: exactly one storage driver may be configured, found "
                    + String.join(", ", drivers));
        }
        drivers.stream().filter(d -> !DriverBindings.known(d)).forEach(d -> diagnostics.error(
                "storage." + d, "storage driver " + d + " is not supported yet by this version of Wharf "
                        + "(supported: " + String.join(", ", DriverBindings.names()) + ")",
                tree.entries("storage").get(d)));
        String name = drivers.size() == 1 && DriverBindings.known(drivers.get(0)) ? drivers.get(0) : "filesystem";
        return DriverBindings.bind(name, tree, diagnostics);
    }

    private static UploadPurging uploadPurging(ConfigTree tree) {
        UploadPurging defaults = UploadPurging.defaults();
        String at = "storage.maintenance.uploadpurging.";
        return new UploadPurging(tree.bool(at + "enabled", defaults.enabled()),
                tree.duration(at + "age", defaults.age()), tree.duration(at + "interval", defaults.interval()),
                tree.bool(at + "dryrun", defaults.dryRun()));
    }

    /** {@code inmemory}, {@code redis} (needs the {@code redis} section, else {@code inmemory}), or empty for none. */
    private static String blobDescriptorCache(ConfigTree tree, Diagnostics diagnostics) {
        tree.node("storage.cache.layerinfo").ifPresent(n -> diagnostics.warn("storage.cache.layerinfo",
                "deprecated; use storage.cache.blobdescriptor", n));
        String path = tree.has("storage.cache.blobdescriptor") ? "storage.cache.blobdescriptor"
                : "storage.cache.layerinfo";
        String cache = tree.string(path, "");
        if (cache.equals("redis")) {
            if (tree.string("redis.addr", "").isEmpty()) {
                diagnostics.warn(path, "redis needs the redis section; falls back to inmemory",
                        tree.node(path).orElseThrow());
                return "inmemory";
            }
            return "redis";
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
