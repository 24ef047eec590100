package io.wharf.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic checks with Distribution's threshold semantics, and the file, TCP and HTTP probes against real ones. */
class HealthChecksTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void turnsUnhealthyAfterThresholdFailuresInARowAndHealthyAfterOneSuccess() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        try (HealthChecks checks = new HealthChecks(new SimpleMeterRegistry())) {
            checks.add("flaky", () -> {
                runs.incrementAndGet();
                if (failing.get()) {
                    throw new IllegalStateException("broken");
                }
            }, INTERVAL, 3);
            checks.start();
            assertThat(checks.failures()).isEmpty();
            int before = runs.get();
            failing.set(true);
            await(() -> !checks.healthy());
            // Three failed runs are needed, not one.
            assertThat(runs.get() - before).isGreaterThanOrEqualTo(3);
            assertThat(checks.failures()).isEqualTo(Map.of("flaky", "broken"));
            failing.set(false);
            await(checks::healthy);
        }
    }

    @Test
    void aCheckThatHangsCountsAsFailingAndRecoversWhenItAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hang = new AtomicBoolean();
        try (HealthChecks checks = new HealthChecks(new SimpleMeterRegistry())) {
            checks.add("storagedriver_test", () -> {
                if (hang.get()) {
                    release.await();
                }
            }, INTERVAL, 2);
            checks.start();
            hang.set(true);
            Instant hungAt = Instant.now();
            await(() -> !checks.healthy());
            // Within interval x threshold, plus one interval for the run that was under way.
            assertThat(Duration.between(hungAt, Instant.now())).isLessThan(INTERVAL.multipliedBy(3).plusSeconds(1));
            assertThat(checks.failures().get("storagedriver_test")).startsWith("did not answer within");
            hang.set(false);
            release.countDown();
            await(checks::healthy);
        }
    }

    @Test
    void fileCheckFailsWhileTheFileExists() throws Exception {
        Path down = dir.resolve("down");
        try (HealthChecks checks = new HealthChecks(new SimpleMeterRegistry())) {
            checks.add(down.toString(), ProbeChecks.file(down), INTERVAL, 1).start();
            assertThat(checks.healthy()).isTrue();
            Files.writeString(down, "maintenance");
            await(() -> !checks.healthy());
            assertThat(checks.failures()).containsEntry(down.toString(), "file exists");
            Files.delete(down);
            await(checks::healthy);
        }
    }

    @Test
    void tcpCheckFollowsTheListener() throws Exception {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String addr = "127.0.0.1:" + socket.getLocalPort();
        try (HealthChecks checks = new HealthChecks(new SimpleMeterRegistry())) {
            checks.add(addr, ProbeChecks.tcp(addr, Duration.ofSeconds(1)), INTERVAL, 1).start();
            assertThat(checks.healthy()).isTrue();
            socket.close();
            await(() -> !checks.healthy());
            assertThat(checks.failures()).containsEntry(addr, "connection to " + addr + " failed");
        }
    }

    @Test
    void httpCheckWantsTheConfiguredStatusAndSendsTheHeaders() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("X-Probe"));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping");
        try (HealthChecks checks = new HealthChecks(new SimpleMeterRegistry());
                HttpClient client = HttpClient.newHttpClient()) {
            checks.add(uri.toString(), ProbeChecks.http(client, uri, Map.of("X-Probe", List.of("wharf")), 200,
                    Duration.ofSeconds(1)), Duration.ofSeconds(1), 1).start();
            assertThat(checks.healthy()).isTrue();
            assertThat(seen).contains("wharf");
            status.set(500);
            await(() -> !checks.healthy());
            assertThat(checks.failures()).containsEntry(uri.toString(),
                    "downstream service returned unexpected status: 500");
            status.set(200);
            await(checks::healthy);
        } finally {
            server.stop(0);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        io.wharf.testing.Await.until(condition, Duration.ofSeconds(10), "the checks' verdict");
    }
}
