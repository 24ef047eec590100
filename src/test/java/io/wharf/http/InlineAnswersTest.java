package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig.Debug;
import io.wharf.config.RegistryConfig.Health;
import io.wharf.config.RegistryConfig.Operations;
import io.wharf.config.RegistryConfig.StorageCheck;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached manifest reads answered on the network thread ({@link InlineAnswers}): the same answer as from a request
 * thread, counted, and no way for one client to hold the thread that serves everybody.
 */
class InlineAnswersTest {
    private static final String TAG_PATH = "/v2/team/app/manifests/v1";

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

    private TestRegistry start() throws Exception {
        return start(Setup.Auth.NONE);
    }

    private TestRegistry start(Setup.Auth auth) throws Exception {
        Operations ops = new Operations(new Debug("127.0.0.1:0", true, "/metrics"),
                new Health(new StorageCheck(false, Duration.ofSeconds(10), 3), List.of(), List.of(), List.of()));
        var cell = new Setup(Setup.Driver.FILESYSTEM, auth).configure(dir.resolve("auth"));
        registry = TestRegistry.start(dir.resolve("data"), c -> cell.apply(c).withOperations(ops));
        if (auth != Setup.Auth.NONE) {
            registry.login(Setup.USER, Setup.PASSWORD);
        }
        return registry;
    }

    private double inlineAnswers() throws Exception {
        String scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + registry.server().debugPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return TestRegistry.metric(scrape, "wharf_http_requests_inline_total");
    }

    @Test
    void aCachedManifestIsAnsweredInlineWithTheSameAnswerAsFromStorage() throws Exception {
        start().pushImage("team/app", "v1");
        registry.close();
        // A new server on the same data: its caches are empty, so the first read goes to storage.
        start();
        HttpResponse<byte[]> cold = registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST);
        assertThat(inlineAnswers()).isZero();

        HttpResponse<byte[]> warm = registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST);
        HttpResponse<byte[]> head = registry.head(TAG_PATH, "Accept", Manifests.OCI_MANIFEST);
        assertThat(inlineAnswers()).isEqualTo(2);

        assertThat(warm.statusCode()).isEqualTo(cold.statusCode()).isEqualTo(200);
        assertThat(warm.body()).isEqualTo(cold.body());
        for (String h : List.of("Content-Type", "Content-Length", "Docker-Content-Digest", "ETag",
                "Docker-Distribution-API-Version")) {
            assertThat(warm.headers().firstValue(h)).as(h).isPresent().isEqualTo(cold.headers().firstValue(h));
            assertThat(head.headers().firstValue(h)).as(h).isEqualTo(cold.headers().firstValue(h));
        }
        assertThat(warm.headers().firstValue("X-Request-Id")).isPresent()
                .isNotEqualTo(cold.headers().firstValue("X-Request-Id"));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void whatTheCacheCannotAnswerGoesToARequestThread() throws Exception {
        TestRegistry.Image image = start().pushImage("team/app", "v1");
        registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST);
        double before = inlineAnswers();

        assertThat(registry.get("/v2/team/app/blobs/" + image.layer()).statusCode()).isEqualTo(200);
        assertThat(registry.get("/v2/team/app/manifests/v2", "Accept", Manifests.OCI_MANIFEST).statusCode())
                .isEqualTo(404);
        assertThat(registry.get("/v2/team/app/manifests/bad%20tag").statusCode()).isEqualTo(404);
        assertThat(registry.get("/v2/team/app/tags/list").statusCode()).isEqualTo(200);
        assertThat(inlineAnswers()).isEqualTo(before);
    }

    @Test
    void withPasswordsEveryRequestGoesToARequestThread() throws Exception {
        start(Setup.Auth.HTPASSWD).pushImage("team/app", "v1");
        for (int i = 0; i < 3; i++) {
            assertThat(registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST).statusCode()).isEqualTo(200);
        }
        assertThat(inlineAnswers()).isZero();
    }

    @Test
    void aClientThatSendsWithoutReadingHoldsUpNoOtherClient() throws Exception {
        start().pushImage("team/app", "v1");
        registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST);
        byte[] one = ("GET " + TAG_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + Manifests.OCI_MANIFEST
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket hostile = new Socket("127.0.0.1", registry.server().port())) {
            // Far more answers than the socket buffers hold: the server's writes to this client must stall.
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = hostile.getOutputStream();
                    for (int i = 0; i < 200_000; i++) {
                        out.write(one);
                    }
                } catch (java.io.IOException closedAtTheEnd) {
                    // The test closes the socket while this may still be blocked writing.
                }
            });
            double stalled = awaitStalled();
            for (int i = 0; i < 50; i++) {
                assertThat(registry.get(TAG_PATH, "Accept", Manifests.OCI_MANIFEST).statusCode()).isEqualTo(200);
            }
            assertThat(inlineAnswers()).isGreaterThanOrEqualTo(stalled + 50);
            assertThat(flood).isNotDone();
        }
    }

    /**
     * Waits until the server answered the client that does not read and then stopped: the inline count is the
     * same in 50 scrapes in a row (a pause of the flooding thread alone is far shorter). Returns that count.
     */
    private double awaitStalled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double last = -1;
        int unchanged = 0;
        while (unchanged < 50) {
            assertThat(System.nanoTime()).as("the flood served, then stalled, within 30 s").isLessThan(deadline);
            double now = inlineAnswers();
            unchanged = now >= 100 && now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }
}
