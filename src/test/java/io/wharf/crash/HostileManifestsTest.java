package io.wharf.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests built to take memory, pushed to a server with the heap the launcher, the image and the package give it
 * (64 MiB): each is stored or refused with {@code MANIFEST_INVALID}, never answered 500, and the largest valid
 * manifest still goes through afterwards. Before manifests were parsed as a stream with a tally of what they hold, a
 * 4 MiB body of empty objects or one-letter annotations took the heap on its own, and two large valid manifests in
 * the cache (weighed by their bytes alone) left no room for a third.
 */
class HostileManifestsTest {
    private static final int MAX = 4 * 1024 * 1024;
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theShippedHeap_storesOrRefusesEveryHostileManifest_andStillTakesTheLargestValidOne() throws Exception {
        try (RegistryProcess server = RegistryProcess.wharfWithShippedHeap(dir.resolve("data"), dir.resolve("work"))) {
            String base = server.base() + "/v2/hostile/app";
            String config = descriptor("application/vnd.oci.image.config.v1+json", push(base, "{}".getBytes()), 2);
            String layer = descriptor("application/vnd.oci.image.layer.v1.tar", push(base, new byte[100]), 100);

            // Refused: what they would hold once parsed is out of all proportion to their size.
            String empties = manifestWith(config, "\"layers\":[" + repeat("{}", ",", (MAX - 400) / 3) + "]");
            assertRefused(put(base, "empties", empties, MANIFEST), server);
            String notes = manifestWith(config, "\"layers\":[],\"annotations\":{"
                    + numbered("\"%x\":\"\"", ",", MAX - 400) + "}");
            assertRefused(put(base, "notes", notes, MANIFEST), server);

            // Stored: an unknown field is skipped, however many values it has.
            String unknown = manifestWith(config, "\"layers\":[" + layer + "],\"x\":["
                    + repeat("[]", ",", (MAX - 400) / 3) + "]");
            assertStored(put(base, "unknown", unknown, MANIFEST), server);

            // Stored: large but real, and both kept in the manifest cache.
            String many = manifestWith(config, "\"layers\":[" + repeat(layer, ",", 20_000) + "]");
            assertStored(put(base, "many", many, MANIFEST), server);
            String child = "{\"mediaType\":\"" + MANIFEST + "\",\"digest\":\"" + sha256(many) + "\",\"size\":"
                    + many.getBytes(StandardCharsets.UTF_8).length + ",\"platform\":{\"os\":\"linux\","
                    + "\"architecture\":\"amd64\"}}";
            String index = "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                    + repeat(child, ",", 16_000) + "]}";
            assertStored(put(base, "index", index, INDEX), server);

            // Then four of the largest manifests at once: each 4 MiB, one annotation.
            List<Future<HttpResponse<String>>> puts = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 4; i++) {
                    String big = largest(config, layer, i);
                    String tag = "big" + i;
                    puts.add(clients.submit(() -> put(base, tag, big, MANIFEST)));
                }
            }
            for (Future<HttpResponse<String>> p : puts) {
                assertStored(p.get(), server);
            }
            assertThat(server.describe()).doesNotContain("OutOfMemoryError");
        }
    }

    /** A valid manifest of exactly {@link #MAX} bytes: one layer and one long annotation. */
    private static String largest(String config, String layer, int salt) {
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + config + ",\"layers\":["
                + layer + "],\"annotations\":{\"note\":\"" + salt;
        String tail = "\"}}";
        return head + "n".repeat(MAX - head.length() - tail.length()) + tail;
    }

    private static String manifestWith(String config, String rest) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + config + "," + rest + "}";
    }

    private static String repeat(String item, String separator, int times) {
        return String.join(separator, java.util.Collections.nCopies(times, item));
    }

    /** {@code format} applied to 0, 1, 2... joined, as long as the result stays within {@code limit} characters. */
    private static String numbered(String format, String separator, int limit) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; ; i++) {
            String next = (i == 0 ? "" : separator) + format.formatted(i);
            if (b.length() + next.length() > limit) {
                return b.toString();
            }
            b.append(next);
        }
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static Digest sha256(String text) {
        return Digest.compute(Digest.Algorithm.SHA256, text.getBytes(StandardCharsets.UTF_8));
    }

    private Digest push(String base, byte[] content) throws Exception {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/?digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return d;
    }

    private HttpResponse<String> put(String base, String tag, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + tag)).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r, RegistryProcess server) {
        assertThat(r.statusCode()).as("%s%n%s", r.body(), server.describe()).isEqualTo(400);
        assertThat(r.body()).contains("MANIFEST_INVALID", "too many entries");
    }

    private static void assertStored(HttpResponse<String> r, RegistryProcess server) {
        assertThat(r.statusCode()).as("%s%n%s", r.body(), server.describe()).isEqualTo(201);
    }
}
