package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.ManifestRules;
import io.wharf.registry.PullCounting;
import io.wharf.registry.PullStatistics;
import io.wharf.registry.Registry;
import io.wharf.registry.RegistryParts;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import io.wharf.storage.memory.InMemoryDriver;
import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one path from a configuration to a registry domain: the storage driver its settings name, the domain's
 * options from the configuration's sections, and the registry over them. The server, every command and the tests
 * go through it, so a part added here is added everywhere.
 */
final class RegistryAssembly {
    /** Repositories whose pull counts are kept in memory; the least recently pulled beyond it are forgotten. */
    private static final long MAX_COUNTED_REPOSITORIES = 100_000;
    private RegistryAssembly() {
    }

    /**
     * The driver for a driver's settings; the only place that maps settings records to driver classes.
     *
     * @throws IllegalArgumentException for settings of a driver this build cannot open
     */
    static StorageDriver driver(DriverSettings settings) throws IOException {
        return switch (settings) {
            case DriverSettings.Filesystem fs -> new FilesystemDriver(fs.rootDirectory());
            case DriverSettings.InMemory memory -> new InMemoryDriver();
            default -> throw new IllegalArgumentException("no storage driver for " + settings.name());
        };
    }

    /** The domain's options as the configuration sets them. */
    static Registry.RegistryOptions options(RegistryConfig config) {
        return Registry.RegistryOptions.defaults()
                .withRedirects(!config.storage().redirectDisabled())
                .withDelete(config.storage().deleteEnabled())
                .withReadOnly(config.storage().readOnly())
                .withImmutableTags(config.lifecycle().immutableTags())
                .withManifestRules(manifestRules(config.validation()));
    }

    /** A registry and the figures its decorators keep. */
    record Assembled(Registry registry, PullStatistics pulls) {
    }

    /**
     * Opens the configured storage and assembles the registry over it, with options adjusted by {@code adjust}:
     * the standard parts, then each decorator a feature adds (one line each), then the registry's own policy.
     */
    static Assembled open(RegistryConfig config, UnaryOperator<Registry.RegistryOptions> adjust, ObjectMapper json,
            Clock clock) throws IOException {
        PullStatistics pulls = new PullStatistics(clock, MAX_COUNTED_REPOSITORIES);
        RegistryParts parts = RegistryParts.standard(driver(config.storage().driver()), adjust.apply(options(config)),
                        json, clock)
                .decorateManifests(m -> new PullCounting(m, pulls));
        return new Assembled(new Registry(parts), pulls);
    }

    /** Distribution's {@code validation} section as the domain's rules for manifest pushes. */
    static ManifestRules manifestRules(RegistryConfig.Validation v) {
        ManifestRules.IndexChildren children = switch (v.indexes().platforms().toLowerCase(Locale.ROOT)) {
            case "none" -> ManifestRules.IndexChildren.NONE;
            case "list" -> ManifestRules.IndexChildren.LISTED;
            default -> ManifestRules.IndexChildren.ALL;
        };
        Set<String> platforms = new HashSet<>();
        v.indexes().platformList().forEach(p -> platforms.add(p.os() + "/" + p.architecture()));
        return ManifestRules.of(!v.disabled(), v.allowUrls(), v.denyUrls(), children, platforms);
    }
}
