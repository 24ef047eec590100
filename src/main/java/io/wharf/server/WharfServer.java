package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.http.ConcurrencyLimit;
import io.wharf.http.Cors;
import io.wharf.http.ErrorRenderer;
import io.wharf.http.HttpMetrics;
import io.wharf.http.JsonErrorHandler;
import io.wharf.http.ProbeHandler;
import io.wharf.http.RegistryHandler;
import io.wharf.http.RequestIds;
import io.wharf.http.SlowClientGuard;
import io.wharf.http.TrustedForwarding;
import io.wharf.http.UrlBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.http.AdminHandler;
import io.wharf.registry.CacheBudget;
import io.wharf.registry.GarbageCollector;
import io.wharf.registry.GcMetrics;
import io.wharf.registry.GcOptions;
import io.wharf.registry.GcRuns;
import io.wharf.registry.Inventory;
import io.wharf.registry.StorageUsage;
import io.wharf.auth.UiSessions;
import io.wharf.http.ApiHandler;
import io.wharf.http.UiHandler;
import io.wharf.registry.Registry;
import io.wharf.registry.StorageLease;
import io.wharf.storage.StorageDriver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one registry by hand from its configuration and runs it on Jetty. Instances share nothing,
 * so tests may run several in one JVM.
 */
public final class WharfServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WharfServer.class);
    /** Largest request header block accepted; larger ones get 431. */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** How often slow clients are looked for. */
    private static final java.time.Duration SWEEP = java.time.Duration.ofSeconds(1);
    /** Requests handled at once; more wait for a slot. */
    private static final int MAX_CONCURRENT_REQUESTS = 1024;
    /** Requests waiting for a slot at once; more are answered 503 (as Jetty's QoS handler did by default). */
    private static final int MAX_WAITING_REQUESTS = 1024;
    /**
     * Each HTTP/1.1 connection's read buffer, and so the largest step in which a request body arrives. Jetty's
     * 8 KiB made a 1 GiB push about 131,000 socket reads and as many file writes; with 32 KiB it is a quarter of
     * that, and the server's CPU per pushed GiB fell by about a third (docs/BENCHMARKS.md, "1 GiB pushes: the
     * baseline, larger reads, hashing beside writing"). The buffer is held only while a request's bytes are being
     * read, so the requests handled at once bound it: {@value #MAX_CONCURRENT_REQUESTS} uploads hold 32 MiB of
     * direct memory.
     */
    static final int REQUEST_READ_BUFFER = 32 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final Registry registry;
    private final Maintenance maintenance;
    private final Optional<TlsConnector> tls;
    private final GarbageCollector gc;
    private final PrometheusMeterRegistry meters;
    private GracefulHandler graceful;
    private RegistryAssembly.Assembled assembled;
    private Observability observability;
    private java.time.Duration drainTimeout = java.time.Duration.ZERO;
    private SyncJobs syncJobs;
    private Inventory inventory;
    /** A repository view older than this is read again in the background (other instances' writes without Redis). */
    private static final java.time.Duration INVENTORY_REFRESH = java.time.Duration.ofSeconds(30);

    private WharfServer(Server server, ServerConnector connector, Registry registry, Maintenance maintenance,
            Optional<TlsConnector> tls, GarbageCollector gc, PrometheusMeterRegistry meters) {
        this.server = server;
        this.connector = connector;
        this.registry = registry;
        this.maintenance = maintenance;
        this.tls = tls;
        this.gc = gc;
        this.meters = meters;
    }

    /**
     * Builds and starts a server; the caller closes it.
     *
     * @throws IllegalStateException when an offline garbage collection holds the storage, or other servers write it
     *     and this configuration has no {@code http.secret}
     */
    public static WharfServer start(RegistryConfig configured) throws Exception {
        RegistryConfig config = MirrorExpiry.apply(configured);
        ObjectMapper json = new ObjectMapper();
        Observability observability = new Observability();
        io.wharf.registry.RequestScope scope = new io.wharf.registry.RequestScope();
        PrometheusMeterRegistry meters = observability.meters();
        RegistryAssembly.Assembled assembled;
        try {
            assembled = RegistryAssembly.open(config, o -> o, json, Clock.systemUTC(), meters,
                    java.util.Optional.of(scope));
        } catch (Exception e) {
            observability.close();
            throw e;
        }
        Registry registry = assembled.registry();
        StorageDriver driver = registry.driver();
        GarbageCollector gc = new GarbageCollector(registry, new GcMetrics(meters));
        GcOptions gcOptions = GcSettings.online(config.lifecycle()).withCaches(MirrorExpiry.caches(config));
        StorageUsage usage = new StorageUsage(registry);
        GcRuns gcRuns = new GcRuns(gc, gcOptions.withDryRun(false), registry, usage);
        Maintenance maintenance = new Maintenance(registry, new StorageLease(driver, json, Clock.systemUTC()),
                !config.storage().readOnly(), config.http().secret());

        ThreadPool threads = threadPool(Runtime.version().feature());
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        // Jetty reuses header fields seen before on a connection, matched ignoring case by default: an Authorization
        // differing from an earlier one only in the case of a letter (another token, another password, another user
        // behind a proxy that pools connections) would be read as the earlier one.
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        RegistryConfig.ClientLimits clients = config.http().clients();
        if (!clients.trustedProxies().isEmpty()) {
            // Without trusted proxies the customizer would only look up every request's peer to leave it as it is.
            http.addCustomizer(new TrustedForwarding(
                    a -> clients.trustedProxies().stream().anyMatch(r -> r.contains(a))));
        }
        http.setIdleTimeout(clients.idleTimeout().toMillis());
        List<ServerConnector> made = new ArrayList<>();
        Optional<TlsConnector> tls = config.http().tls().enabled()
                ? Optional.of(TlsConnector.create(server, http, config.http().tls(),
                        config.http().http2Disabled(), made))
                : Optional.empty();
        ServerConnector connector = tls.isPresent() ? made.get(0)
                : new ServerConnector(server, http1(http));
        InetSocketAddress address = ListenAddress.parse(config.http().addr());
        if (address.getHostString() != null && !address.getHostString().isEmpty()) {
            connector.setHost(address.getHostString());
        }
        connector.setPort(address.getPort());
        connector.setIdleTimeout(clients.idleTimeout().toMillis());
        server.addConnector(connector);

        String prefix = normalisePrefix(config.http().prefix());
        UrlBuilder urls = new UrlBuilder(config.http().host(), prefix, config.http().relativeUrls());
        AccessWiring access = AccessWiring.of(config.auth(), prefix, json, Clock.systemUTC(), meters);
        var cors = config.http().cors();
        observability.startHealth(config, driver, Clock.systemUTC());
        registry.bindCacheMetrics(meters);
        HttpMetrics httpMetrics = new HttpMetrics(meters);
        RegistryHandler handler = new RegistryHandler(registry, json, prefix, urls, config.http().headers(),
                config.catalog().maxEntries(), access.controller(),
                new Cors(cors.allowedOrigins(), cors.allowedHeaders(), cors.maxAge(), cors.allowCredentials()),
                new RegistryHandler.Hooks(observability.health(), httpMetrics, assembled.namespaces(),
                        // Only webhook events read who made a request: without them no request describes itself.
                        config.notifications().active().isEmpty() ? null : scope, config.http().secret()));
        Handler.Sequence handlers = new Handler.Sequence();
        // The registry API first: nearly every request is one, and it declines any path outside /v2 at once, which
        // none of the others takes.
        handlers.addHandler(httpMetrics.wrapping(handler));
        handlers.addHandler(ProbeHandler.api(observability.health(), connector::isAccepting, json));
        access.tokenEndpoint().ifPresent(handlers::addHandler);
        RegistryConfig.Admin admin = config.lifecycle().admin();
        if (admin.enabled()) {
            handlers.addHandler(new AdminHandler(registry, gcRuns, gcOptions.withDryRun(false), meters::scrape, prefix,
                    admin.allowRemote(), json, access.controller(), assembled.pulls()));
        }
        RegistryConfig.Ui ui = config.lifecycle().ui();
        Inventory inventory = null;
        if (ui.enabled()) {
            inventory = new Inventory(registry, INVENTORY_REFRESH, CacheBudget.ofHeap().inventoryTags());
            handlers.addHandler(new UiHandler(prefix));
            handlers.addHandler(new ApiHandler(new ApiHandler.Parts(registry, inventory, usage, gcRuns),
                    new ApiHandler.Access(access.controller(), access.logins(),
                            new UiSessions(config.http().secret(), ui.sessionTtl(), Clock.systemUTC()),
                            admin.allowRemote()), prefix, json));
        }
        // Virtual threads make requests cheap, not free: beyond the cap, requests wait for a slot.
        ConcurrencyLimit limit = new ConcurrencyLimit(handlers, MAX_CONCURRENT_REQUESTS, MAX_WAITING_REQUESTS);
        // Against clients that trickle headers (slowloris) or bodies: per connection and per request.
        // Every answer gets its id, the refusals of the limit included.
        GracefulHandler graceful = new GracefulHandler(new SlowClientGuard(new RequestIds(limit),
                clients.headerTimeout(), clients.minDataRate(), clients.rateWindow(), SWEEP, System::nanoTime));
        server.setHandler(graceful);
        // Distribution's draintimeout: 0 stops at once, otherwise running requests get that long.
        server.setStopTimeout(config.http().drainTimeout().toMillis());
        server.setErrorHandler(new JsonErrorHandler(new ErrorRenderer(json)));
        if (!config.log().accessLogDisabled()) {
            NcsaAccessLog accessLog = new NcsaAccessLog(new RedactingLogWriter());
            server.addBean(accessLog);
            server.setRequestLog(accessLog);
        }
        try {
            // Claimed last before listening, so that a start failing anywhere gives the lease up (below).
            maintenance.claimStorage();
            if (!config.storage().readOnly()) {
                registry.repositories().startOnEmptyStorage();
            }
            server.start();
            observability.bindProcessMeters();
            observability.startDebug(config, connector::isAccepting, json);
        } catch (Exception e) {
            server.stop();
            maintenance.close();
            observability.close();
            assembled.close();
            throw e;
        }
        String scheme = tls.isPresent() ? "https" : "http";
        maintenance.start(config, gcRuns, gcOptions, scheme + "://127.0.0.1:" + connector.getLocalPort() + prefix);
        tls.ifPresent(t -> maintenance.always(java.time.Duration.ofSeconds(10), () -> reload(t), "TLS reload"));
        SyncJobs syncJobs = new SyncJobs(registry, config.sync(), meters);
        syncJobs.start(!config.storage().readOnly());
        WharfServer started = new WharfServer(server, connector, registry, maintenance, tls, gc, meters);
        started.syncJobs = syncJobs;
        started.graceful = graceful;
        started.assembled = assembled;
        started.drainTimeout = config.http().drainTimeout();
        started.observability = observability;
        started.inventory = inventory;
        if (inventory != null) {
            Inventory views = inventory;
            Thread.ofVirtual().name("ui-warm-up").start(() -> {
                try {
                    views.warm();
                } catch (Exception e) {
                    LOG.warn("ui: reading the repositories at start failed (pages read them when asked): {}",
                            e.toString());
                }
            });
        }
        return started;
    }

    /**
     * The server's threads, all of them virtual from JDK 24 on, the network (selector) loop included: Jetty then runs
     * a parsed request on the thread that read it and starts a new virtual thread to go on selecting, instead of
     * waking another thread for each request (manifest {@code GET} 63 -> 43 us of server CPU under load; BENCHMARKS.md,
     * "Small requests: every thread virtual, small blobs from memory"). Uncapped: a capped pool makes the selector
     * itself wait for a permit once that many requests block on their clients, so the cap stays with
     * {@link ConcurrencyLimit}, where an excess request parks its own virtual thread.
     *
     * <p>Before JDK 24 a virtual thread blocked inside {@code synchronized} keeps its carrier (JEP 491 lifted that), so
     * a few such requests could hold every carrier and stop a virtual network loop with them: there the loop stays on
     * a platform thread and hands each request to a virtual thread.
     */
    static ThreadPool threadPool(int javaFeatureVersion) {
        // Named: Logback looks an unnamed virtual thread's id up by reflection for every event it writes (the access
        // log writes one per request), 2.8% of the server's CPU samples under load (BENCHMARKS.md).
        Executor virtualThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wharf-vt").factory());
        if (javaFeatureVersion >= 24) {
            VirtualThreadPool all = new VirtualThreadPool(0);
            all.setVirtualThreadsExecutor(virtualThreads);
            return all;
        }
        QueuedThreadPool platform = new QueuedThreadPool();
        platform.setName("wharf");
        platform.setVirtualThreadsExecutor(virtualThreads);
        return platform;
    }

    /** The HTTP/1.1 factory of every connector, plain or behind TLS. */
    static HttpConnectionFactory http1(HttpConfiguration http) {
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        factory.setInputBufferSize(REQUEST_READ_BUFFER);
        return factory;
    }

    private static void reload(TlsConnector t) {
        try {
            t.reloadIfChanged();
        } catch (Exception e) {
            LOG.warn("TLS certificate changed but cannot be used yet, keeping the previous one: {}", e.getMessage());
        }
    }

    /**
     * Loads the TLS certificate and key again if their files changed (the server also checks every 10 seconds).
     *
     * @return whether a new certificate is now in use
     * @throws IllegalStateException without TLS
     * @throws Exception when the changed files are unusable; the previous certificate stays in use
     */
    public boolean reloadCertificate() throws Exception {
        return tls.orElseThrow(() -> new IllegalStateException("TLS is not configured")).reloadIfChanged();
    }

    /** {@code http.prefix} as the handler wants it: empty, or {@code /a/b} without a trailing slash. */
    static String normalisePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        return p;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://localhost:<port>} with TLS. */
    public URI baseUri() {
        return tls.isPresent() ? URI.create("https://localhost:" + port()) : URI.create("http://127.0.0.1:" + port());
    }

    /** The HTTP/1.1 read buffer of the listening connector, in bytes (for tests). */
    int requestReadBufferSize() {
        return connector.getConnectionFactory(HttpConnectionFactory.class).getInputBufferSize();
    }

    /** The registry domain behind the server. */
    public Registry registry() {
        return registry;
    }

    /** The online garbage collector of this server. */
    public GarbageCollector garbageCollector() {
        return gc;
    }

    /** This server's meters (garbage collection). */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The {@code http.debug} listener's port, or -1 without one. */
    public int debugPort() {
        return observability.debugPort();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops accepting connections and requests, then waits for the running requests for up to
     * {@code http.draintimeout}. Done before Jetty's own stop, which gives every connection only a second of quiet
     * and would cut off an upload whose client pauses.
     */
    private void drain() throws InterruptedException {
        if (drainTimeout.isZero() || graceful == null || !server.isRunning()) {
            return;
        }
        for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setAccepting(false);
            }
        }
        try {
            graceful.shutdown().get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("requests still running after the drain timeout ({}) are cut off", drainTimeout);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("draining: {}", e.getCause().toString());
        }
    }

    /** Stops accepting, lets running requests finish within the drain timeout, then stops. */
    @Override
    public void close() throws Exception {
        try {
            drain();
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // Requests still running after the drain timeout were cut off, as configured.
        } finally {
            if (syncJobs != null) {
                syncJobs.close();
            }
            if (inventory != null) {
                inventory.close();
            }
            maintenance.close();
            if (observability != null) {
                observability.close();
            }
            if (assembled != null) {
                assembled.close();
            }
        }
    }
}
