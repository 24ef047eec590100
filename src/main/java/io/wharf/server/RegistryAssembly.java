package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.ManifestRules;
import io.wharf.registry.Coordination;
import io.wharf.registry.LocalCoordination;
import io.wharf.registry.PullCounting;
import io.wharf.registry.redis.RedisCoordination;
import io.wharf.registry.PullStatistics;
import io.wharf.registry.Registry;
import io.wharf.registry.RegistryParts;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.storage.s3.S3Connection;
import io.wharf.storage.s3.S3Driver;
import io.wharf.storage.s3.S3DriverOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;
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
    /** A lock outlives an instance that stopped renewing it (crashed) by this much. */
    private static final Duration REDIS_LOCK_TTL = Duration.ofSeconds(30);
    /** A writer waits this long for a lock another instance holds, then gets 503. */
    private static final Duration REDIS_LOCK_WAIT = Duration.ofSeconds(30);
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
            case DriverSettings.S3 s3 -> S3Driver.connect(s3Connection(s3), s3Options(s3));
            default -> throw new IllegalArgumentException("no storage driver for " + settings.name());
        };
    }

    /** How to reach the service named by {@code storage.s3}. */
    static S3Connection s3Connection(DriverSettings.S3 s) {
        return new S3Connection(s.region(), s.regionEndpoint(), s.forcePathStyle(), s.secure(), s.skipVerify(),
                s.accessKey(), s.secretKey(), s.userAgent(), S3Connection.DEFAULT_MAX_CONNECTIONS);
    }

    /** What the S3 driver does with the bucket named by {@code storage.s3}. */
    static S3DriverOptions s3Options(DriverSettings.S3 s) {
        return new S3DriverOptions(s.bucket(), s.rootDirectory(), s.chunkSize(), s.multipartCopyChunkSize(),
                s.multipartCopyMaxConcurrency(), s.multipartCopyThresholdSize(), s.encrypt(), s.keyId(),
                s.storageClass());
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

    /** A registry, the figures its decorators keep, and what to close with it (connections to shared services). */
    record Assembled(Registry registry, PullStatistics pulls, List<AutoCloseable> resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            for (AutoCloseable r : resources) {
                r.close();
            }
        }
    }

    /**
     * Opens the configured storage and assembles the registry over it, with options adjusted by {@code adjust}:
     * the standard parts, then each decorator a feature adds (one line each), then the registry's own policy.
     */
    static Assembled open(RegistryConfig config, UnaryOperator<Registry.RegistryOptions> adjust, ObjectMapper json,
            Clock clock) throws IOException {
        PullStatistics pulls = new PullStatistics(clock, MAX_COUNTED_REPOSITORIES);
        List<AutoCloseable> resources = new ArrayList<>();
        Coordination coordination = coordination(config, clock, resources);
        StorageDriver driver = driver(config.storage().driver());
        if (driver instanceof AutoCloseable closeable) {
            resources.add(closeable);
        }
        RegistryParts parts = RegistryParts.standard(driver, adjust.apply(options(config)), json, clock, coordination)
                .decorateManifests(m -> new PullCounting(m, pulls));
        return new Assembled(new Registry(parts), pulls, List.copyOf(resources));
    }

    /** Redis when the configuration names one (instances sharing storage), else this process alone. */
    static Coordination coordination(RegistryConfig config, Clock clock, List<AutoCloseable> resources) {
        RegistryConfig.Redis redis = config.redis();
        if (!redis.enabled()) {
            return new LocalCoordination(clock);
        }
        JedisPooled client = RedisClients.pooled(redis);
        resources.add(client);
        RedisCoordination coordination = new RedisCoordination(client, "wharf:", clock, REDIS_LOCK_TTL,
                REDIS_LOCK_WAIT, touchRetention(config));
        resources.add(0, coordination);
        return coordination;
    }

    /** Writers' touches must outlive the longest grace period a collection may use. */
    private static Duration touchRetention(RegistryConfig config) {
        Duration grace = config.lifecycle().gc().gracePeriod();
        return grace.compareTo(Duration.ofHours(1)) > 0 ? grace.plusMinutes(10) : Duration.ofHours(1);
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
