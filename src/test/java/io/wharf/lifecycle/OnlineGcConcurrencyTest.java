package io.wharf.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.lifecycle.PushClient.Desc;
import io.wharf.spec.Digest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes, deletes and collects in a loop, concurrently, with a one-second grace period (so garbage
 * made early in the run is swept while later pushes go on, and shared layers are swept and pushed
 * again), then verifies every tagged image by digest, down to each blob's content. The
 * deterministic counterpart, a collection in the middle of one manifest push with no grace at all,
 * is {@code InFlightWritesTest}.
 */
class OnlineGcConcurrencyTest {
    private static final int WORKERS = 4;
    private static final int ITERATIONS = 30;
    private static final int SHARED_LAYERS = 6;
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration GRACE = Duration.ofSeconds(1);

    @TempDir
    Path root;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Digest> expected = new ConcurrentHashMap<>();
    private final AtomicInteger retries = new AtomicInteger();

    @Test
    void pushesRacingWithCollections_allEndAsCompletePullableImages() throws Exception {
        try (TestRegistry registry = TestRegistry.start(root, c -> c.withLifecycle(new RegistryConfig.Lifecycle(
                new RegistryConfig.Gc(false, Duration.ofHours(24), GRACE, true, false), List.of(), List.of(),
                RegistryConfig.Admin.defaults())))) {
            PushClient client = new PushClient(registry);
            AtomicBoolean pushing = new AtomicBoolean(true);
            AtomicLong swept = new AtomicLong();
            AtomicInteger runs = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
            try {
                Future<?> collector = pool.submit(() -> {
                    while (pushing.get() || runs.get() < 3) {
                        swept.addAndGet(collect(registry));
                        runs.incrementAndGet();
                    }
                    return null;
                });
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> {
                        work(client, worker);
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(5, TimeUnit.MINUTES);
                }
                pushing.set(false);
                collector.get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            verifyAll(client);
            swept.addAndGet(collectUntilSomethingIsSwept(registry, swept.get()));
            verifyAll(client);

            assertThat(runs.get()).isGreaterThanOrEqualTo(3);
            assertThat(swept.get()).as("collections removed garbage while pushes went on").isPositive();
            assertThat(expected).isNotEmpty();
            // Retries happen only when a push took longer than the grace period on a loaded machine.
            System.out.printf("online GC race: %d collections, %d blobs swept, %d push retries%n", runs.get(),
                    swept.get(), retries.get());
        }
    }

    /** Collects until garbage past the grace period was swept at least once (bounded: 60 s). */
    private long collectUntilSomethingIsSwept(TestRegistry registry, long sweptSoFar) throws Exception {
        long swept = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sweptSoFar + swept == 0 && System.nanoTime() < deadline) {
            swept += collect(registry);
        }
        return swept;
    }

    private long collect(TestRegistry registry) throws Exception {
        HttpResponse<byte[]> r = registry.send(registry.request("/admin/gc?deleteUntagged=true")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        PushClient.check(r, 200, "gc");
        return json.readTree(r.body()).path("blobsDeleted").size();
    }

    private void work(PushClient client, int worker) throws Exception {
        String repo = "race/w" + worker;
        for (int i = 0; i < ITERATIONS; i++) {
            switch (i % 5) {
                case 0, 1, 2 -> expected.put(repo + ":t" + (i % 4), pushImage(client, repo, "t" + (i % 4), worker, i));
                case 3 -> expected.put(repo + ":idx", pushIndex(client, repo, worker, i));
                default -> deleteSomething(client, repo, i);
            }
        }
    }

    /** Pushes an image under a tag, retrying the whole push when a collection won a race (as a user would). */
    private Digest pushImage(PushClient client, String repo, String tag, int worker, int i) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String manifest = imageManifest(client, repo, worker, i);
            HttpResponse<byte[]> r = client.putManifest(repo, tag, manifest, PushClient.MANIFEST);
            if (r.statusCode() == 201 || !retryable(r, attempt)) {
                PushClient.check(r, 201, "push " + repo + ":" + tag);
                return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
            }
        }
    }

    private Digest pushIndex(PushClient client, String repo, int worker, int i) throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<Desc> children = new ArrayList<>();
            HttpResponse<byte[]> r = null;
            for (int c = 0; c < 2 && (r == null || r.statusCode() == 201); c++) {
                byte[] child = imageManifest(client, repo, worker, i * 10 + c).getBytes(StandardCharsets.UTF_8);
                Desc d = PushClient.desc(child, PushClient.MANIFEST);
                r = client.putManifest(repo, d.digest().toString(), new String(child, StandardCharsets.UTF_8),
                        PushClient.MANIFEST);
                children.add(d);
            }
            if (r.statusCode() == 201) {
                r = client.putManifest(repo, "idx", PushClient.indexJson(children), PushClient.INDEX);
            }
            if (r.statusCode() == 201 || !retryable(r, attempt)) {
                PushClient.check(r, 201, "push index");
                return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
            }
        }
    }

    private boolean retryable(HttpResponse<byte[]> r, int attempt) {
        boolean raced = r.statusCode() == 400
                && new String(r.body(), StandardCharsets.UTF_8).contains("MANIFEST_BLOB_UNKNOWN");
        if (raced && attempt < MAX_ATTEMPTS) {
            retries.incrementAndGet();
            return true;
        }
        return false;
    }

    private String imageManifest(PushClient client, String repo, int worker, int i) throws Exception {
        List<Desc> layers = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            byte[] shared = ("shared layer " + ((worker + i + k) % SHARED_LAYERS)).getBytes(StandardCharsets.UTF_8);
            layers.add(client.blob(repo, shared, PushClient.LAYER));
        }
        layers.add(client.blob(repo, ("unique " + repo + " " + i).getBytes(StandardCharsets.UTF_8), PushClient.LAYER));
        Desc config = client.blob(repo, ("{\"n\":\"" + repo + i + "\"}").getBytes(StandardCharsets.UTF_8),
                PushClient.CONFIG);
        return PushClient.imageJson(config, layers);
    }

    private void deleteSomething(PushClient client, String repo, int i) throws Exception {
        String key = repo + ":t" + (i % 4);
        Digest d = expected.get(key);
        if (d == null) {
            return;
        }
        if (i % 2 == 0) {
            PushClient.check(client.delete("/v2/" + repo + "/manifests/t" + (i % 4)), 202, "delete tag");
            expected.remove(key);
        } else {
            PushClient.check(client.delete("/v2/" + repo + "/manifests/" + d), 202, "delete manifest");
            expected.entrySet().removeIf(e -> e.getKey().startsWith(repo + ":") && e.getValue().equals(d));
        }
    }

    private void verifyAll(PushClient client) throws Exception {
        for (var e : expected.entrySet()) {
            String repo = e.getKey().substring(0, e.getKey().indexOf(':'));
            String tag = e.getKey().substring(e.getKey().indexOf(':') + 1);
            HttpResponse<byte[]> byTag = client.get("/v2/" + repo + "/manifests/" + tag,
                    PushClient.MANIFEST + ", " + PushClient.INDEX);
            PushClient.check(byTag, 200, "pull " + e.getKey());
            assertThat(byTag.headers().firstValue("Docker-Content-Digest")).contains(e.getValue().toString());
            verifyManifest(client, repo, e.getValue());
        }
    }

    private void verifyManifest(PushClient client, String repo, Digest digest) throws Exception {
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/" + digest,
                PushClient.MANIFEST + ", " + PushClient.INDEX);
        PushClient.check(r, 200, "manifest " + repo + "@" + digest);
        assertThat(Digest.compute(Digest.Algorithm.SHA256, r.body())).isEqualTo(digest);
        JsonNode m = json.readTree(r.body());
        for (JsonNode child : m.path("manifests")) {
            verifyManifest(client, repo, Digest.parse(child.path("digest").asText()));
        }
        List<JsonNode> blobs = new ArrayList<>();
        if (m.has("config")) {
            blobs.add(m.get("config"));
        }
        m.path("layers").forEach(blobs::add);
        for (JsonNode b : blobs) {
            Digest d = Digest.parse(b.path("digest").asText());
            HttpResponse<byte[]> blob = client.get("/v2/" + repo + "/blobs/" + d, "*/*");
            PushClient.check(blob, 200, "blob " + d + " of " + repo + "@" + digest);
            assertThat(Digest.compute(Digest.Algorithm.SHA256, blob.body())).isEqualTo(d);
        }
    }
}
