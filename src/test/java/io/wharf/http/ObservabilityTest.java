package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.config.RegistryConfig.Debug;
import io.wharf.config.RegistryConfig.Health;
import io.wharf.config.RegistryConfig.Operations;
import io.wharf.config.RegistryConfig.StorageCheck;
import io.wharf.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug listener ({@code http.debug}) of a running server: Prometheus text with Distribution's metric names,
 * {@code /debug/health} as Distribution answers it, liveness and readiness, and the API closing with 503 while the
 * storage check fails.
 */
class ObservabilityTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int THRESHOLD = 2;

    @TempDir
    Path dir;
    private TestRegistry registry;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private TestRegistry start(Path root, boolean prometheus, boolean storageCheck) throws Exception {
        Operations ops = new Operations(new Debug("127.0.0.1:0", prometheus, "/metrics"),
                new Health(new StorageCheck(storageCheck, INTERVAL, THRESHOLD), List.of(), List.of(), List.of()));
        registry = TestRegistry.start(root, c -> c.withOperations(ops));
        return registry;
    }

    private HttpResponse<String> debug(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registry.server().debugPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in:%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void prometheusTextCountsRequestsUnderDistributionsNames() throws Exception {
        TestRegistry r = start(dir.resolve("data"), true, false);
        TestRegistry.Image image = r.pushImage("team/app", "v1");
        assertThat(r.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST).statusCode()).isEqualTo(200);
        byte[] layer = r.get("/v2/team/app/blobs/" + image.layer()).body();
        assertThat(r.get("/v2/team/app/manifests/missing").statusCode()).isEqualTo(404);
        // The last request is counted when the server has finished it, which may be just after its answer arrived.
        Await.until(() -> valueOrZero(scrape(), "registry_http_requests_total{code=\"404\",handler=\"manifest\","
                + "method=\"get\"}") == 1, Duration.ofSeconds(10), "the last request counted");

        HttpResponse<String> metrics = debug("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        String text = metrics.body();
        assertThat(value(text, "registry_http_requests_total{code=\"201\",handler=\"manifest\",method=\"put\"}"))
                .isEqualTo(1);
        assertThat(value(text, "registry_http_requests_total{code=\"200\",handler=\"manifest\",method=\"get\"}"))
                .isEqualTo(1);
        assertThat(value(text, "registry_http_requests_total{code=\"404\",handler=\"manifest\",method=\"get\"}"))
                .isEqualTo(1);
        assertThat(value(text, "registry_http_requests_total{code=\"201\",handler=\"blob_upload\",method=\"post\"}"))
                .isEqualTo(2);
        assertThat(value(text, "registry_http_request_duration_seconds_count{handler=\"blob\",method=\"get\"}"))
                .isEqualTo(1);
        assertThat(value(text, "registry_http_response_size_bytes_sum{handler=\"blob\"}")).isEqualTo(layer.length);
        assertThat(value(text, "wharf_http_sent_bytes_total{handler=\"blob\"}")).isEqualTo(layer.length);
        assertThat(value(text, "registry_http_in_flight_requests{handler=\"blob_upload_chunk\"}")).isZero();
        assertThat(value(text, "wharf_uploads_completed_total")).isEqualTo(2);
        assertThat(value(text, "registry_storage_action_seconds_count{action=\"PutContent\",driver=\"filesystem\"}"))
                .isPositive();
        assertThat(text).contains("jvm_memory_used_bytes", "process_resident_memory_bytes", "jvm_threads_live_threads");
        assertThat(value(text, "process_resident_memory_bytes")).isGreaterThan(1 << 20);
    }

    @Test
    void requestsAreCountedByMethodAndCodeEachTime() throws Exception {
        TestRegistry r = start(dir.resolve("data"), true, false);
        for (int i = 0; i < 3; i++) {
            assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
        }
        assertThat(r.head("/v2/team/app/manifests/missing").statusCode()).isEqualTo(404);

        // A request is counted when the server has finished it, which may be just after the client has its answer.
        String gets = "registry_http_requests_total{code=\"200\",handler=\"base\",method=\"get\"}";
        String getTimes = "registry_http_request_duration_seconds_count{handler=\"base\",method=\"get\"}";
        String heads = "registry_http_requests_total{code=\"404\",handler=\"manifest\",method=\"head\"}";
        Await.until(() -> {
            String text = scrape();
            return valueOrZero(text, gets) == 3 && valueOrZero(text, getTimes) == 3 && valueOrZero(text, heads) == 1;
        }, Duration.ofSeconds(10), "the requests counted");
        String text = scrape();
        assertThat(value(text, gets)).isEqualTo(3);
        assertThat(value(text, getTimes)).isEqualTo(3);
        assertThat(value(text, heads)).isEqualTo(1);
    }

    private String scrape() {
        try {
            return debug("/metrics").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double valueOrZero(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void withoutPrometheusTheDebugListenerServesHealthOnly() throws Exception {
        start(dir.resolve("data"), false, false);
        HttpResponse<String> noMetrics = debug("/metrics");
        assertThat(noMetrics.statusCode()).isEqualTo(404);
        // As on the registry's listener: the spec's JSON for errors, no server version.
        assertThat(noMetrics.body()).contains("\"errors\"");
        assertThat(noMetrics.headers().firstValue("Server")).isEmpty();
        HttpResponse<String> health = debug("/debug/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{}");
        assertThat(debug("/healthz").statusCode()).isEqualTo(200);
        assertThat(debug("/readyz").statusCode()).isEqualTo(200);
        // The API listener answers the orchestrator's probes too, without credentials.
        assertThat(registry.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(registry.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aStorageRootThatDisappearsClosesTheApiUntilItIsBack() throws Exception {
        Path root = dir.resolve("data");
        TestRegistry r = start(root, true, true);
        r.pushImage("team/app", "v1");
        assertThat(debug("/debug/health").statusCode()).isEqualTo(200);

        // As an unmounted volume does: the directory the registry writes to is no longer there.
        Path away = dir.resolve("unmounted");
        Files.move(root, away);
        Instant lost = Instant.now();
        awaitTrue(() -> status("/debug/health") == 503, INTERVAL.multipliedBy(THRESHOLD).plusSeconds(5));
        assertThat(Duration.between(lost, Instant.now())).isLessThan(INTERVAL.multipliedBy(THRESHOLD + 1)
                .plusSeconds(2));
        assertThat(debug("/debug/health").body()).contains("\"storagedriver_filesystem\"").contains("lost");
        var api = r.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(TestRegistry.json(api).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(r.get("/v2/").statusCode()).isEqualTo(503);
        assertThat(debug("/readyz").statusCode()).isEqualTo(503);
        assertThat(debug("/healthz").statusCode()).isEqualTo(200);
        // The check did not re-create the root, so nothing was written to the empty mount point.
        assertThat(root).doesNotExist();

        Files.move(away, root);
        awaitTrue(() -> status("/debug/health") == 200, INTERVAL.multipliedBy(2).plusSeconds(5));
        assertThat(r.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST).statusCode()).isEqualTo(200);
        String text = debug("/metrics").body();
        assertThat(value(text, "wharf_health_check_failing{check=\"storagedriver_filesystem\"}")).isZero();
    }

    private int status(String path) {
        try {
            return debug(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void awaitTrue(BooleanSupplier condition, Duration limit) throws InterruptedException {
        io.wharf.testing.Await.until(condition, limit, "the health verdict");
    }
}
