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
import io.wharf.storage.TimedDriver;
import io.wharf.registry.UploadTracking;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
import java.util.Optional;
import io.wharf.mirror.Mirror;
import io.wharf.notify.Notifier;
import io.wharf.notify.NotifyingRoles;
import io.wharf.registry.RequestScope;
import io.wharf.mirror.Upstream;
import redis.clients.jedis.JedisPooled;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path from a configuration to a registry domain: the storage driver its settings name, the domain's
 * options from the configuration's sections, and the registry over them. The server, every command and the tests
 * go through it, so a part added here is added everywhere.
 */
final class RegistryAssembly {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAssembly.class);
    /** A lock outlives an instance that stopped renewing it (crashed) by this much. */
    private static final Duration REDIS_LOCK_TTL = Duration.ofSeconds(30);
    /** A writer waits this long for a lock another instance holds, then gets 503. */
    private static final Duration REDIS_LOCK_WAIT = Duration.ofSeconds(30);
    /** Repositories whose pull counts are kept in memory; the least recently pulled beyond it are forgotten. */
    private static final long MAX_COUNTED_REPOSITORIES = 100_000;
    /** An upload session without a chunk for this long no longer counts as in progress. */
    private static final Duration UPLOAD_IDLE = Duration.ofHours(1);

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
    record Assembled(Registry registry, PullStatistics pulls, List<AutoCloseable> resources,
            java.util.Map<String, String> namespaces) implements AutoCloseable {
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
        return open(config, adjust, json, clock, new CompositeMeterRegistry());
    }

    /** As {@link #open(RegistryConfig, UnaryOperator, ObjectMapper, Clock)}, with the parts' meters in {@code meters}. */
    static Assembled open(RegistryConfig config, UnaryOperator<Registry.RegistryOptions> adjust, ObjectMapper json,
            Clock clock, MeterRegistry meters) throws IOException {
        return open(config, adjust, json, clock, meters, Optional.empty());
    }

    /**
     * As {@link #open(RegistryConfig, UnaryOperator, ObjectMapper, Clock, MeterRegistry)}, for a server whose
     * requests {@code scope} describes: with the configured webhooks, which name those requests.
     */
    static Assembled open(RegistryConfig config, UnaryOperator<Registry.RegistryOptions> adjust, ObjectMapper json,
            Clock clock, MeterRegistry meters, Optional<RequestScope> scope) throws IOException {
        PullStatistics pulls = new PullStatistics(clock, MAX_COUNTED_REPOSITORIES);
        List<AutoCloseable> resources = new ArrayList<>();
        Coordination coordination = coordination(config, clock, resources);
        Optional<Mirror> mirror = mirror(config, json, clock, meters);
        Optional<Notifier> notifier = Optional.empty();
        if (scope.isPresent() && !config.notifications().active().isEmpty()) {
            notifier = Optional.of(new Notifier(config.notifications(), scope.get(), json, clock,
                    sourceAddr(config), meters));
            resources.add(notifier.get());
        }
        Optional<Notifier> events = notifier;
        StorageDriver driver = driver(config.storage().driver());
        if (driver instanceof AutoCloseable closeable) {
            resources.add(closeable);
        }
        RegistryParts parts = RegistryParts.standard(new TimedDriver(driver, meters), adjust.apply(options(config)),
                        json, clock, coordination)
                .decorateRoles(r -> mirror.map(m -> m.wrap(r)).orElse(r))
                .decorateRoles(r -> events.map(n -> NotifyingRoles.wrap(r, n)).orElse(r))
                .decorateManifests(m -> new PullCounting(m, pulls))
                .decorateUploads(u -> new UploadTracking(u, meters, UPLOAD_IDLE));
        return new Assembled(new Registry(parts), pulls, List.copyOf(resources),
                mirror.map(Mirror::namespaces).orElse(java.util.Map.of()));
    }

    /** This instance as events name it: {@code http.addr}'s host (this machine's name when empty) and port. */
    static String sourceAddr(RegistryConfig config) {
        java.net.InetSocketAddress a = ListenAddress.parse(config.http().addr());
        String host = a.getHostString();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0")) {
            host = HostName.get();
        }
        return host + ":" + a.getPort();
    }

    /** The pull-through cache the {@code proxy} section asks for, if any. */
    static Optional<Mirror> mirror(RegistryConfig config, ObjectMapper json, Clock clock, MeterRegistry meters) {
        RegistryConfig.Proxy proxy = config.proxy();
        if (!proxy.enabled()) {
            return Optional.empty();
        }
        List<Upstream> upstreams = proxy.upstreams().stream().map(u -> new Upstream(
                u.prefix().isEmpty() ? u.remoteUrl().getHost() : u.prefix(), u.prefix(), u.remoteUrl(), u.username(),
                u.password(), u.ttl(), u.tagTtl(), u.namespace())).toList();
        return Optional.of(new Mirror(upstreams, json, clock, proxy.timeout(), proxy.spoolDirectory(), meters));
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
                REDIS_LOCK_WAIT, touchRetention(config), "redis".equals(config.storage().blobDescriptorCache()));
        resources.add(0, coordination);
        // Asked aside, so that a Redis that is down does not hold the start for its dial timeout.
        Thread.ofVirtual().name("redis-first-contact").start(() -> firstContact(client, redis.addr()));
        return coordination;
    }

    /**
     * Says at start whether Redis answers. Distribution uses Redis only as a cache and shrugs off its absence; with
     * a {@code redis} section Wharf coordinates writes through it, so an operator coming from Distribution must
     * learn here, not from refused pushes, that it is down.
     */
    private static void firstContact(JedisPooled client, String addr) {
        try {
            client.ping();
            LOG.info("instances coordinate their writes through Redis at {}", addr);
        } catch (RuntimeException e) {
            LOG.warn("Redis at {} does not answer ({}): pulls go on, but pushes, deletes and tag moves get 503 until "
                    + "it does, since instances coordinate their writes through it (SCALING.md, \"When Redis is "
                    + "down\")", addr, e.getMessage());
        }
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
