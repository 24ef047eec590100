package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wharf.config.RegistryConfig;
import io.wharf.health.HealthChecks;
import io.wharf.health.ProbeChecks;
import io.wharf.health.StorageHealthCheck;
import io.wharf.http.ProbeHandler;
import io.wharf.metrics.ProcessMeters;
import io.wharf.storage.StorageDriver;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What operators watch one server with: its meters (Prometheus), its health checks, and Distribution's
 * {@code http.debug} listener serving both. Built before the registry so every part can register meters; the
 * checks start before the API listener opens, so the first request already sees their verdict.
 */
final class Observability implements AutoCloseable {
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile ProcessMeters process;
    private HealthChecks health;
    private Server debug;

    PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * Registers the JVM's and the process's meters. Called once the listener is open: nothing reads them before a
     * scrape, and binding them (the JVM's management beans, in the interpreter) was a twentieth of the start-up.
     */
    void bindProcessMeters() {
        process = new ProcessMeters(meters);
    }

    HealthChecks health() {
        return health;
    }

    /** Creates and runs the configured checks once; they keep running until {@link #close()}. */
    void startHealth(RegistryConfig config, StorageDriver driver, Clock clock) {
        RegistryConfig.Health h = config.operations().health();
        health = new HealthChecks(meters);
        if (h.storage().enabled()) {
            health.add(StorageHealthCheck.name(driver), new StorageHealthCheck(driver, instanceName(config),
                    !config.storage().readOnly(), clock), h.storage().interval(), h.storage().threshold());
        }
        h.files().forEach(f -> health.add(f.file().toString(), ProbeChecks.file(f.file()), f.interval(),
                f.threshold()));
        if (!h.http().isEmpty()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            h.http().forEach(c -> health.add(c.uri().toString(),
                    ProbeChecks.http(client, c.uri(), c.headers(), c.statusCode(), c.timeout()), c.interval(),
                    c.threshold()));
        }
        h.tcp().forEach(c -> health.add(c.addr(), ProbeChecks.tcp(c.addr(), c.timeout()), c.interval(),
                c.threshold()));
        health.start();
    }

    /**
     * Starts the {@code http.debug} listener when configured.
     *
     * @param accepting false once the server drains, for readiness
     */
    void startDebug(RegistryConfig config, BooleanSupplier accepting, ObjectMapper json) throws Exception {
        RegistryConfig.Debug d = config.operations().debug();
        if (!d.enabled()) {
            return;
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("wharf-debug");
        Server server = new Server(threads);
        // As the registry's own listener: no server version in the headers, errors in the spec's JSON.
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1,
                new org.eclipse.jetty.server.HttpConnectionFactory(http));
        server.setErrorHandler(new io.wharf.http.JsonErrorHandler(new io.wharf.http.ErrorRenderer(json)));
        InetSocketAddress address = ListenAddress.parse(d.addr());
        if (address.getHostString() != null && !address.getHostString().isEmpty()) {
            connector.setHost(address.getHostString());
        }
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(ProbeHandler.debug(health, accepting, json,
                d.prometheus() ? Optional.of(d.prometheusPath()) : Optional.empty(), meters::scrape));
        server.start();
        debug = server;
    }

    /** The debug listener's port, or -1 without one. */
    int debugPort() {
        return debug == null ? -1 : ((ServerConnector) debug.getConnectors()[0]).getLocalPort();
    }

    /** Unique among instances sharing storage and stable across restarts: the host name and the API port. */
    private static String instanceName(RegistryConfig config) {
        String host = HostName.get();
        int port = ListenAddress.parse(config.http().addr()).getPort();
        String name = host + "-" + (port == 0 ? UUID.randomUUID().toString() : Integer.toString(port));
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public void close() throws Exception {
        try {
            if (debug != null) {
                debug.stop();
            }
        } finally {
            if (health != null) {
                health.close();
            }
            ProcessMeters bound = process;
            if (bound != null) {
                bound.close();
            }
            meters.close();
        }
    }
}
