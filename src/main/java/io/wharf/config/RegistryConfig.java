package io.wharf.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's configuration: CNCF Distribution's {@code config.yml} as immutable records. Every
 * record has the defaults Distribution uses when the key is absent.
 *
 * @param log the {@code log} section
 * @param storage the {@code storage} section
 * @param http the {@code http} section
 * @param catalog the {@code catalog} section
 * @param validation the {@code validation} section
 * @param auth the {@code auth} section with Wharf's {@code access} and {@code tokenserver}
 * @param lifecycle Wharf's own sections: {@code gc}, {@code retention}, {@code immutabletags}, {@code admin}
 * @param redis the {@code redis} section: {@link Redis#none()} when absent
 * @param operations {@code http.debug} and {@code health}: what operators watch the registry with
 * @param proxy {@code proxy}: the upstreams Wharf mirrors; {@link Proxy#none()} when absent
 * @param notifications {@code notifications}: webhook endpoints; {@link Notifications#none()} when absent
 * @param sync {@code sync}: scheduled copies between this registry and others (Wharf); none when absent
 */
public record RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
        AuthConfig auth, Lifecycle lifecycle, Redis redis, Operations operations, Proxy proxy,
        Notifications notifications, Sync sync) {

    public RegistryConfig {
        java.util.Objects.requireNonNull(auth, "auth");
        java.util.Objects.requireNonNull(lifecycle, "lifecycle");
        java.util.Objects.requireNonNull(redis, "redis");
        java.util.Objects.requireNonNull(operations, "operations");
        java.util.Objects.requireNonNull(proxy, "proxy");
        java.util.Objects.requireNonNull(notifications, "notifications");
        java.util.Objects.requireNonNull(sync, "sync");
    }

    /** Without sync jobs. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth, Lifecycle lifecycle, Redis redis, Operations operations, Proxy proxy,
            Notifications notifications) {
        this(log, storage, http, catalog, validation, auth, lifecycle, redis, operations, proxy, notifications,
                Sync.none());
    }

    /** This configuration with other sync jobs. */
    public RegistryConfig withSync(Sync newSync) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, lifecycle, redis, operations, proxy,
                notifications, newSync);
    }

    /**
     * {@code sync}: copies between this registry and others, run on a schedule inside the server.
     *
     * @param stateDirectory where each job remembers uploads under way, so an interrupted copy resumes
     */
    public record Sync(List<SyncJob> jobs, Path stateDirectory) {
        public Sync {
            jobs = List.copyOf(jobs);
        }

        public static Sync none() {
            return new Sync(List.of(), Path.of(System.getProperty("java.io.tmpdir"), "wharf-sync"));
        }
    }

    /**
     * One scheduled copy.
     *
     * @param pull true copies from the remote into this registry, false from this registry to the remote
     * @param prefix prepended to repository names where the copy lands
     * @param interval time between the end of one run and the start of the next; the first runs at start
     */
    public record SyncJob(String name, boolean pull, java.net.URI remoteUrl, String username, String password,
            boolean skipVerify, List<String> repositories, List<String> tags, String prefix, Duration interval,
            boolean referrers) {
        public SyncJob {
            repositories = List.copyOf(repositories);
            tags = List.copyOf(tags);
        }

        @Override
        public String toString() {
            // Never the password: this record may be logged.
            return "SyncJob[" + name + (pull ? " from " : " to ") + remoteUrl + "]";
        }
    }

    /** Without webhooks. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth, Lifecycle lifecycle, Redis redis, Operations operations, Proxy proxy) {
        this(log, storage, http, catalog, validation, auth, lifecycle, redis, operations, proxy,
                Notifications.none());
    }

    /** This configuration with other webhooks. */
    public RegistryConfig withNotifications(Notifications newNotifications) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, lifecycle, redis, operations, proxy,
                newNotifications, sync);
    }

    /** Without mirrored upstreams. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth, Lifecycle lifecycle, Redis redis, Operations operations) {
        this(log, storage, http, catalog, validation, auth, lifecycle, redis, operations, Proxy.none());
    }

    /** This configuration mirroring other upstreams. */
    public RegistryConfig withProxy(Proxy newProxy) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, lifecycle, redis, operations,
                newProxy, notifications, sync);
    }

    /**
     * {@code notifications}: webhooks with Distribution's keys, delivered from a durable queue per endpoint.
     *
     * @param includeReferences {@code events.includereferences}: manifest events list what the manifest references
     * @param queueDirectory where the queues live ({@code notifications.queue.directory}, Wharf)
     * @param maxEvents events kept per endpoint before the oldest are dropped ({@code notifications.queue.maxevents})
     */
    public record Notifications(List<Endpoint> endpoints, boolean includeReferences, Path queueDirectory,
            int maxEvents) {
        public static final int DEFAULT_MAX_EVENTS = 100_000;

        public Notifications {
            endpoints = List.copyOf(endpoints);
        }

        public static Notifications none() {
            return new Notifications(List.of(), false, Path.of("/var/lib/wharf/notifications"), DEFAULT_MAX_EVENTS);
        }

        /** The endpoints that are not disabled. */
        public List<Endpoint> active() {
            return endpoints.stream().filter(e -> !e.disabled()).toList();
        }
    }

    /**
     * One {@code notifications.endpoints[]} entry, with Distribution's defaults.
     *
     * @param ignoredMediaTypes {@code ignoredmediatypes} and {@code ignore.mediatypes} together
     * @param ignoredActions {@code ignore.actions}
     */
    public record Endpoint(String name, java.net.URI url, Map<String, List<String>> headers, Duration timeout,
            int threshold, Duration backoff, boolean disabled, java.util.Set<String> ignoredMediaTypes,
            java.util.Set<String> ignoredActions) {
        public Endpoint {
            headers = Http.copyOfHeaders(headers);
            ignoredMediaTypes = java.util.Set.copyOf(ignoredMediaTypes);
            ignoredActions = java.util.Set.copyOf(ignoredActions);
        }

        @Override
        public String toString() {
            // Header values (tokens) stay out of logs.
            return "Endpoint[" + name + " -> " + url.getScheme() + "://" + url.getHost()
                    + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getPath() + "]";
        }
    }

    /**
     * {@code proxy}: Distribution's pull-through cache of one upstream ({@code remoteurl}, {@code username},
     * {@code password}, {@code ttl}) for every repository, or Wharf's {@code proxy.upstreams}, each for the
     * repositories under its prefix.
     *
     * @param spoolDirectory local directory for blobs being fetched ({@code proxy.spooldirectory})
     * @param timeout how long an upstream may take to answer one request ({@code proxy.timeout})
     */
    public record Proxy(List<ProxyUpstream> upstreams, Path spoolDirectory, Duration timeout) {
        public Proxy {
            upstreams = List.copyOf(upstreams);
        }

        public static Proxy none() {
            return new Proxy(List.of(), Path.of(System.getProperty("java.io.tmpdir"), "wharf-mirror"),
                    Duration.ofSeconds(30));
        }

        public boolean enabled() {
            return !upstreams.isEmpty();
        }
    }

    /**
     * One mirrored upstream.
     *
     * @param prefix local repository prefix, empty for every repository
     * @param ttl how long fetched content is kept after its last pull (Distribution's {@code ttl}); zero: forever
     * @param tagTtl how long a tag's upstream digest is trusted before asking again
     * @param namespace containerd's {@code ?ns=} name for the upstream, empty to derive it from the URL
     * @param maxBytes the cap on the bytes its cache holds (Wharf's {@code maxbytes}); zero: no cap
     */
    public record ProxyUpstream(String prefix, java.net.URI remoteUrl, String username, String password,
            Duration ttl, Duration tagTtl, String namespace, long maxBytes) {
        /** Without a cap on the cache's bytes. */
        public ProxyUpstream(String prefix, java.net.URI remoteUrl, String username, String password, Duration ttl,
                Duration tagTtl, String namespace) {
            this(prefix, remoteUrl, username, password, ttl, tagTtl, namespace, 0);
        }

        @Override
        public String toString() {
            return "ProxyUpstream[" + prefix + " -> " + remoteUrl + (username.isEmpty() ? "" : " as " + username) + "]";
        }
    }

    /** Without a debug listener or health checks. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth, Lifecycle lifecycle, Redis redis) {
        this(log, storage, http, catalog, validation, auth, lifecycle, redis, Operations.none());
    }

    /** This configuration with another debug listener and health checks. */
    public RegistryConfig withOperations(Operations newOperations) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, lifecycle, redis, newOperations, proxy, notifications, sync);
    }

    /**
     * Distribution's {@code http.debug} listener and {@code health} checks.
     *
     * @param debug {@code http.debug}: empty {@code addr} for none
     * @param health {@code health}
     */
    public record Operations(Debug debug, Health health) {
        public static Operations none() {
            return new Operations(Debug.none(), Health.none());
        }
    }

    /**
     * {@code http.debug}: a second listener for operators.
     *
     * @param addr {@code host:port}, or empty for none
     * @param prometheus {@code prometheus.enabled}
     * @param prometheusPath {@code prometheus.path}, {@code /metrics} by default
     */
    public record Debug(String addr, boolean prometheus, String prometheusPath) {
        public static Debug none() {
            return new Debug("", false, "/metrics");
        }

        public boolean enabled() {
            return !addr.isEmpty();
        }
    }

    /**
     * {@code health}: checks run periodically; while any fails, {@code /debug/health} reports it and the API answers
     * 503. A check turns unhealthy after {@code threshold} failures in a row (at least one) and healthy again after
     * one success.
     *
     * @param storage {@code health.storagedriver}
     */
    public record Health(StorageCheck storage, List<FileCheck> files, List<HttpCheck> http, List<TcpCheck> tcp) {
        /** Distribution's interval when a check sets none. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

        public Health {
            files = List.copyOf(files);
            http = List.copyOf(http);
            tcp = List.copyOf(tcp);
        }

        public static Health none() {
            return new Health(new StorageCheck(false, DEFAULT_INTERVAL, 1), List.of(), List.of(), List.of());
        }

        public boolean any() {
            return storage.enabled() || !files.isEmpty() || !http.isEmpty() || !tcp.isEmpty();
        }
    }

    /** {@code health.storagedriver}. */
    public record StorageCheck(boolean enabled, Duration interval, int threshold) {
    }

    /** {@code health.file[]}: unhealthy while the file exists. */
    public record FileCheck(Path file, Duration interval, int threshold) {
    }

    /**
     * {@code health.http[]}: unhealthy while a GET of the URI does not answer {@code statusCode} within
     * {@code timeout}.
     */
    public record HttpCheck(java.net.URI uri, Map<String, List<String>> headers, int statusCode, Duration timeout,
            Duration interval, int threshold) {
        public HttpCheck {
            headers = Http.copyOfHeaders(headers);
        }
    }

    /** {@code health.tcp[]}: unhealthy while a connection to {@code addr} cannot be made within {@code timeout}. */
    public record TcpCheck(String addr, Duration timeout, Duration interval, int threshold) {
    }

    /** Without Redis. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth, Lifecycle lifecycle) {
        this(log, storage, http, catalog, validation, auth, lifecycle, Redis.none());
    }

    /** This configuration with another {@code redis} section. */
    public RegistryConfig withRedis(Redis newRedis) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, lifecycle, newRedis, operations, proxy, notifications, sync);
    }

    /**
     * {@code redis}, with Distribution's keys; Wharf uses it to coordinate instances sharing one storage.
     *
     * @param addr {@code host:port}, or empty for no Redis
     * @param dialTimeout connect timeout; read and write timeouts are one socket timeout in the client, the larger wins
     * @param tls {@code redis.tls.enabled}
     */
    public record Redis(String addr, String username, String password, int db, Duration dialTimeout,
            Duration readTimeout, Duration writeTimeout, int poolMaxIdle, int poolMaxActive, Duration poolIdleTimeout,
            boolean tls) {
        public static Redis none() {
            return new Redis("", "", "", 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, Duration.ZERO, false);
        }

        /** go-redis' defaults, as Distribution leaves them: 5 s to connect, 3 s per read and write. */
        public static Redis defaults(String addr) {
            return new Redis(addr, "", "", 0, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(3), 8,
                    64, Duration.ofMinutes(5), false);
        }

        public boolean enabled() {
            return !addr.isEmpty();
        }

        @Override
        public String toString() {
            // Never the password: this record may be logged.
            return "Redis[addr=" + addr + ", db=" + db + ", tls=" + tls + "]";
        }
    }

    /** The pre-auth shape: an open registry, Wharf's own sections at their defaults. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation) {
        this(log, storage, http, catalog, validation, AuthConfig.none());
    }

    /** The pre-lifecycle shape: Wharf's gc, retention, immutable-tag and admin sections at their defaults. */
    public RegistryConfig(Log log, Storage storage, Http http, Catalog catalog, Validation validation,
            AuthConfig auth) {
        this(log, storage, http, catalog, validation, auth, Lifecycle.defaults());
    }

    /** This configuration with another {@code http} section. */
    public RegistryConfig withHttp(Http newHttp) {
        return new RegistryConfig(log, storage, newHttp, catalog, validation, auth, lifecycle, redis, operations, proxy, notifications, sync);
    }

    /** This configuration with other access control. */
    public RegistryConfig withAuth(AuthConfig newAuth) {
        return new RegistryConfig(log, storage, http, catalog, validation, newAuth, lifecycle, redis, operations, proxy, notifications, sync);
    }

    /** This configuration with another {@code validation} section. */
    public RegistryConfig withValidation(Validation newValidation) {
        return new RegistryConfig(log, storage, http, catalog, newValidation, auth, lifecycle, redis, operations, proxy, notifications, sync);
    }

    /** This configuration with other Wharf lifecycle sections. */
    public RegistryConfig withLifecycle(Lifecycle newLifecycle) {
        return new RegistryConfig(log, storage, http, catalog, validation, auth, newLifecycle, redis, operations, proxy, notifications, sync);
    }

    /** The configuration {@code ./wharf serve} uses without a file: port 5000, data under {@code ./data}. */
    public static RegistryConfig defaults() {
        Storage storage = Storage.filesystem(Path.of("data")).withWrites(true, false);
        return new RegistryConfig(Log.defaults(), storage, Http.defaults(),
                new Catalog(1000), new Validation(false, List.of(), List.of()));
    }

    /**
     * {@code log}.
     *
     * @param level error, warn, info or debug
     * @param formatter text or json
     * @param fields extra fields added to every line
     * @param accessLogDisabled {@code log.accesslog.disabled}
     */
    public record Log(String level, String formatter, Map<String, String> fields, boolean accessLogDisabled) {
        public Log {
            fields = Map.copyOf(fields);
        }

        public static Log defaults() {
            return new Log("info", "text", Map.of(), false);
        }
    }

    /**
     * {@code storage}.
     *
     * @param driver the driver and its own settings ({@code storage.filesystem}, {@code storage.inmemory}, ...)
     * @param deleteEnabled {@code storage.delete.enabled}
     * @param readOnly {@code storage.maintenance.readonly.enabled}
     * @param uploadPurging {@code storage.maintenance.uploadpurging}
     * @param blobDescriptorCache {@code storage.cache.blobdescriptor}: {@code inmemory}, or empty for none
     * @param blobDescriptorCacheSize {@code storage.cache.blobdescriptorsize}: most cached descriptors, 0 for no limit
     * @param redirectDisabled {@code storage.redirect.disable}
     * @param tagConcurrencyLimit {@code storage.tag.concurrencylimit}: 0 means one per available processor
     */
    public record Storage(DriverSettings driver, boolean deleteEnabled, boolean readOnly,
            UploadPurging uploadPurging, String blobDescriptorCache, int blobDescriptorCacheSize,
            boolean redirectDisabled, int tagConcurrencyLimit) {

        /** Distribution's default for {@code blobdescriptorsize}. */
        public static final int DEFAULT_BLOB_DESCRIPTOR_CACHE_SIZE = 10_000;

        public Storage {
            java.util.Objects.requireNonNull(driver, "driver");
        }

        /** Distribution's defaults for the cache size and tag concurrency. */
        public Storage(DriverSettings driver, boolean deleteEnabled, boolean readOnly, UploadPurging uploadPurging,
                String blobDescriptorCache, boolean redirectDisabled) {
            this(driver, deleteEnabled, readOnly, uploadPurging, blobDescriptorCache,
                    DEFAULT_BLOB_DESCRIPTOR_CACHE_SIZE, redirectDisabled, 0);
        }

        /** Filesystem storage under {@code root} with Distribution's defaults (deletes off). */
        public static Storage filesystem(Path root) {
            return new Storage(new DriverSettings.Filesystem(root), false, false, UploadPurging.defaults(),
                    "inmemory", false);
        }

        /** The filesystem driver's root directory; empty for other drivers. */
        public java.util.Optional<Path> rootDirectory() {
            return driver instanceof DriverSettings.Filesystem fs ? java.util.Optional.of(fs.rootDirectory())
                    : java.util.Optional.empty();
        }

        /** These settings with deletes and read-only mode as given. */
        public Storage withWrites(boolean delete, boolean readOnlyMode) {
            return new Storage(driver, delete, readOnlyMode, uploadPurging, blobDescriptorCache,
                    blobDescriptorCacheSize, redirectDisabled, tagConcurrencyLimit);
        }
    }

    /**
     * {@code storage.maintenance.uploadpurging}; Distribution's defaults: enabled, 168h, 24h.
     *
     * @param enabled whether abandoned uploads are purged
     * @param age uploads older than this are purged
     * @param interval how often the purge runs
     * @param dryRun log what would be purged without removing it
     */
    public record UploadPurging(boolean enabled, Duration age, Duration interval, boolean dryRun) {
        public static UploadPurging defaults() {
            return new UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24), false);
        }
    }

    /**
     * {@code http}.
     *
     * @param addr listen address, {@code host:port} or {@code :port} (or a socket path with net unix)
     * @param net {@code tcp} or {@code unix}
     * @param prefix URL path prefix the registry is served under, {@code /} by default
     * @param host external base URL used for absolute {@code Location} headers, or empty
     * @param secret secret for signing upload state, or empty
     * @param relativeUrls whether {@code Location} headers are relative
     * @param headers headers added to every response
     * @param drainTimeout how long to let requests finish at shutdown
     * @param tls {@code http.tls}; {@link TlsConfig#none()} for plain HTTP
     * @param http2Disabled {@code http.http2.disabled}: only HTTP/1.1 over TLS
     * @param cors {@code http.cors} (Wharf): which browser origins may call the API
     * @param clients {@code http.timeouts} and {@code http.trustedproxies} (Wharf): limits on slow clients and whose
     *     forwarded headers are believed
     */
    public record Http(String addr, String net, String prefix, String host, String secret, boolean relativeUrls,
            Map<String, List<String>> headers, Duration drainTimeout, TlsConfig tls, boolean http2Disabled,
            CorsConfig cors, ClientLimits clients) {
        public Http {
            headers = copyOfHeaders(headers);
            java.util.Objects.requireNonNull(tls, "tls");
            java.util.Objects.requireNonNull(cors, "cors");
            java.util.Objects.requireNonNull(clients, "clients");
        }

        /** Without Wharf's client limits: the defaults. */
        public Http(String addr, String net, String prefix, String host, String secret, boolean relativeUrls,
                Map<String, List<String>> headers, Duration drainTimeout, TlsConfig tls, boolean http2Disabled,
                CorsConfig cors) {
            this(addr, net, prefix, host, secret, relativeUrls, headers, drainTimeout, tls, http2Disabled, cors,
                    ClientLimits.defaults());
        }

        /** The pre-TLS shape: plain HTTP, no CORS. */
        public Http(String addr, String net, String prefix, String host, String secret, boolean relativeUrls,
                Map<String, List<String>> headers, Duration drainTimeout) {
            this(addr, net, prefix, host, secret, relativeUrls, headers, drainTimeout, TlsConfig.none(), false,
                    CorsConfig.none());
        }

        /** This section with other TLS settings. */
        public Http withTls(TlsConfig newTls) {
            return new Http(addr, net, prefix, host, secret, relativeUrls, headers, drainTimeout, newTls,
                    http2Disabled, cors, clients);
        }

        /** This section with other CORS settings. */
        public Http withCors(CorsConfig newCors) {
            return new Http(addr, net, prefix, host, secret, relativeUrls, headers, drainTimeout, tls,
                    http2Disabled, newCors, clients);
        }

        /** This section with another {@code http.secret}. */
        public Http withSecret(String newSecret) {
            return new Http(addr, net, prefix, host, newSecret, relativeUrls, headers, drainTimeout, tls,
                    http2Disabled, cors, clients);
        }

        /** This section with other client limits. */
        public Http withClients(ClientLimits newClients) {
            return new Http(addr, net, prefix, host, secret, relativeUrls, headers, drainTimeout, tls,
                    http2Disabled, cors, newClients);
        }

        static Map<String, List<String>> copyOfHeaders(Map<String, List<String>> headers) {
            var copy = new LinkedHashMap<String, List<String>>();
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            return Collections.unmodifiableMap(copy);
        }

        public static Http defaults() {
            return new Http(":5000", "tcp", "/", "", "", false,
                    Map.of("X-Content-Type-Options", List.of("nosniff")), Duration.ZERO);
        }
    }

    /**
     * {@code http.timeouts} and {@code http.trustedproxies} (Wharf's own; Distribution has neither).
     *
     * @param headerTimeout longest time from a request's first byte to the end of its headers (slowloris)
     * @param idleTimeout longest time a connection may stay without a byte moving in either direction
     * @param minDataRate bytes per second a request body or response must move while the server waits on the client,
     *     measured per request over {@code rateWindow}; 0 turns the check off
     * @param rateWindow how much waiting on the client one rate measurement spans
     * @param trustedProxies peers whose {@code Forwarded}/{@code X-Forwarded-*} headers are believed; empty: nobody's
     */
    public record ClientLimits(Duration headerTimeout, Duration idleTimeout, long minDataRate, Duration rateWindow,
            List<AddressRange> trustedProxies) {
        public ClientLimits {
            trustedProxies = List.copyOf(trustedProxies);
            if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative()
                    || idleTimeout.isZero() || rateWindow.isNegative() || rateWindow.isZero() || minDataRate < 0) {
                throw new IllegalArgumentException("timeouts and the rate window must be positive, the rate >= 0");
            }
        }

        /** 30 s for headers, 60 s idle, 1 KiB/s over 20 s, no trusted proxies. */
        public static ClientLimits defaults() {
            return new ClientLimits(Duration.ofSeconds(30), Duration.ofSeconds(60), 1024, Duration.ofSeconds(20),
                    List.of());
        }
    }

    /**
     * {@code catalog}.
     *
     * @param maxEntries most repositories answered in one catalog page (Distribution: 1000)
     */
    public record Catalog(int maxEntries) {
        public Catalog {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("catalog.maxentries must be positive: " + maxEntries);
            }
        }
    }

    /**
     * {@code validation}.
     *
     * @param disabled {@code validation.disabled}
     * @param allowUrls {@code validation.manifests.urls.allow} patterns, each known to compile
     * @param denyUrls {@code validation.manifests.urls.deny} patterns, each known to compile
     * @param indexes {@code validation.manifests.indexes}
     */
    public record Validation(boolean disabled, List<String> allowUrls, List<String> denyUrls,
            IndexValidation indexes) {
        public Validation {
            allowUrls = List.copyOf(allowUrls);
            denyUrls = List.copyOf(denyUrls);
        }

        /** The pre-extension shape: every platform of an index must exist. */
        public Validation(boolean disabled, List<String> allowUrls, List<String> denyUrls) {
            this(disabled, allowUrls, denyUrls, IndexValidation.all());
        }
    }

    /**
     * {@code validation.manifests.indexes}.
     *
     * @param platforms {@code all} (default), {@code none} or {@code list}
     * @param platformList with {@code list}, the platforms whose images must exist
     */
    public record IndexValidation(String platforms, List<Platform> platformList) {
        public IndexValidation {
            platformList = List.copyOf(platformList);
        }

        /** Distribution's default: every image an index references must exist. */
        public static IndexValidation all() {
            return new IndexValidation("all", List.of());
        }
    }

    /**
     * One entry of {@code validation.manifests.indexes.platformlist}.
     *
     * @param architecture e.g. {@code amd64}
     * @param os e.g. {@code linux}
     */
    public record Platform(String architecture, String os) {
    }

    /**
     * Wharf-only sections; Distribution ignores them.
     *
     * @param gc {@code gc}: online garbage collection
     * @param retention {@code retention}: rules, first match per repository wins
     * @param immutableTags {@code immutabletags}: glob patterns of tags that may not move once pushed
     * @param admin {@code admin}: the {@code /admin} endpoints
     * @param ui {@code ui}: the web UI and its JSON API
     */
    public record Lifecycle(Gc gc, List<RetentionRule> retention, List<String> immutableTags, Admin admin, Ui ui) {
        public Lifecycle {
            retention = List.copyOf(retention);
            immutableTags = List.copyOf(immutableTags);
        }

        /** The sections with the UI's defaults. */
        public Lifecycle(Gc gc, List<RetentionRule> retention, List<String> immutableTags, Admin admin) {
            this(gc, retention, immutableTags, admin, Ui.defaults());
        }

        public static Lifecycle defaults() {
            return new Lifecycle(Gc.defaults(), List.of(), List.of(), Admin.defaults(), Ui.defaults());
        }

        public Lifecycle withUi(Ui newUi) {
            return new Lifecycle(gc, retention, immutableTags, admin, newUi);
        }
    }

    /**
     * {@code ui}: the web UI at {@code <prefix>/ui/} and its JSON API at {@code <prefix>/api/v1/}.
     *
     * @param enabled whether both are served (on by default)
     * @param sessionTtl how long a login lasts ({@code ui.sessionttl}, 8 hours by default)
     */
    public record Ui(boolean enabled, Duration sessionTtl) {
        public static Ui defaults() {
            return new Ui(true, Duration.ofHours(8));
        }
    }

    /**
     * {@code gc}: garbage collection inside the server.
     *
     * @param enabled whether it runs on a schedule (on demand it always can)
     * @param interval time between scheduled runs
     * @param gracePeriod content newer than this is never collected
     * @param deleteUntagged whether untagged manifests are deleted, as {@code --delete-untagged}
     * @param dryRun scheduled runs only report
     */
    public record Gc(boolean enabled, Duration interval, Duration gracePeriod, boolean deleteUntagged, boolean dryRun) {
        public static Gc defaults() {
            return new Gc(false, Duration.ofHours(24), Duration.ofHours(1), false, false);
        }
    }

    /**
     * One {@code retention} rule.
     *
     * @param repositories glob of repository names ({@code *} within a path component, {@code **} across)
     * @param keepLast keep this many most recently pushed tags; -1 when unset
     * @param keepWithin keep tags pushed or pulled within this; {@code null} when unset
     * @param protect globs of tags never removed
     */
    public record RetentionRule(String repositories, int keepLast, Duration keepWithin, List<String> protect) {
        public RetentionRule {
            protect = List.copyOf(protect);
        }
    }

    /**
     * {@code admin}: the {@code /admin} endpoints (garbage collection, repository deletion, metrics).
     *
     * @param enabled whether they are served at all
     * @param allowRemote whether clients other than loopback may call them (no auth yet)
     */
    public record Admin(boolean enabled, boolean allowRemote) {
        public static Admin defaults() {
            return new Admin(true, false);
        }
    }
}
