package io.wharf.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.testing.RegistryProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server with SIGKILL in the middle of concurrent pushes, restarts it on the same data,
 * and checks that everything the server acknowledged (201) is there and correct, and that no
 * content address holds bytes of another digest.
 */
class CrashRecoveryTest {
    private static final int CLIENTS = 8;
    private static final int ACKS_BEFORE_KILL = 120;

    @TempDir
    Path work;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Digest, Boolean> ackedBlobs = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> ackedManifests = new ConcurrentHashMap<>();
    /** Every manifest each tag was ever pushed with (acknowledged or in flight when killed). */
    private final Map<String, Set<Digest>> tagCandidates = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ackedTags = new ConcurrentHashMap<>();
    private final AtomicInteger acks = new AtomicInteger();

    @Test
    void acknowledgedPushesSurviveKillDashNine() throws Exception {
        Path root = Files.createDirectories(work.resolve("data"));
        CountDownLatch enoughAcks = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        try (RegistryProcess server = RegistryProcess.wharf(root, work)) {
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                clients.add(pool.submit(() -> pushUntilFailure(server.base(), id, enoughAcks)));
            }
            assertThat(enoughAcks.await(120, TimeUnit.SECONDS)).as("pushes acknowledged before the kill").isTrue();
            server.kill();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acks.get()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (RegistryProcess restarted = RegistryProcess.wharf(root, work)) {
            for (Digest d : ackedBlobs.keySet()) {
                HttpResponse<byte[]> r = get(restarted.base(), "/v2/crash/blobs/" + d);
                assertThat(r.statusCode()).as("acknowledged blob %s", d).isEqualTo(200);
                assertThat(Digest.compute(d.algorithm(), r.body())).isEqualTo(d);
            }
            for (var e : ackedManifests.entrySet()) {
                HttpResponse<byte[]> r = get(restarted.base(), "/v2/crash/manifests/" + e.getKey());
                assertThat(r.statusCode()).as("acknowledged manifest %s", e.getKey()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(e.getValue());
            }
            for (String tag : ackedTags.keySet()) {
                HttpResponse<byte[]> r = get(restarted.base(), "/v2/crash/manifests/" + tag);
                assertThat(r.statusCode()).as("acknowledged tag %s", tag).isEqualTo(200);
                Digest served = Digest.compute(Digest.Algorithm.SHA256, r.body());
                assertThat(tagCandidates.get(tag)).contains(served);
            }
        }
        assertEveryBlobMatchesItsAddress(root);
    }

    private void pushUntilFailure(URI base, int clientId, CountDownLatch enoughAcks) {
        Random random = new Random(clientId);
        try {
            for (int i = 0; i < 100_000; i++) {
                byte[] layer = new byte[1024 + random.nextInt(512 * 1024)];
                random.nextBytes(layer);
                Digest layerDigest = Digest.compute(Digest.Algorithm.SHA256, layer);
                if (i % 2 == 0) {
                    pushMonolithic(base, layer, layerDigest);
                } else {
                    pushChunked(base, layer, layerDigest);
                }
                acknowledged(enoughAcks);
                byte[] config = ("{\"client\":" + clientId + ",\"n\":" + i + "}").getBytes();
                Digest configDigest = Digest.compute(Digest.Algorithm.SHA256, config);
                pushMonolithic(base, config, configDigest);
                byte[] manifest = manifest(configDigest, config.length, layerDigest, layer.length);
                Digest manifestDigest = Digest.compute(Digest.Algorithm.SHA256, manifest);
                String tag = "c" + clientId + "-" + (i % 5);
                tagCandidates.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(manifestDigest);
                HttpResponse<byte[]> put = client.send(HttpRequest.newBuilder(base.resolve("/v2/crash/manifests/" + tag))
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (put.statusCode() != 201) {
                    throw new IOException("manifest push answered " + put.statusCode());
                }
                ackedManifests.put(manifestDigest, manifest);
                ackedTags.put(tag, true);
                acknowledged(enoughAcks);
            }
        } catch (IOException | InterruptedException e) {
            // The server was killed: this client stops; what it had acknowledged is checked later.
        }
    }

    private void acknowledged(CountDownLatch enoughAcks) {
        if (acks.incrementAndGet() >= ACKS_BEFORE_KILL) {
            enoughAcks.countDown();
        }
    }

    private void pushMonolithic(URI base, byte[] blob, Digest digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                base.resolve("/v2/crash/blobs/uploads/?digest=" + digest))
                .POST(BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 201) {
            throw new IOException("monolithic push answered " + r.statusCode());
        }
        ackedBlobs.put(digest, true);
    }

    private void pushChunked(URI base, byte[] blob, Digest digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> start = client.send(HttpRequest.newBuilder(base.resolve("/v2/crash/blobs/uploads/"))
                .POST(BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        String location = start.headers().firstValue("Location").orElseThrow(() -> new IOException("no Location"));
        int half = blob.length / 2;
        HttpResponse<byte[]> patch = client.send(HttpRequest.newBuilder(URI.create(location))
                .header("Content-Range", "0-" + (half - 1))
                .method("PATCH", BodyPublishers.ofByteArray(blob, 0, half)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (patch.statusCode() != 202) {
            throw new IOException("patch answered " + patch.statusCode());
        }
        String next = patch.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = client.send(HttpRequest.newBuilder(URI.create(next + "?digest=" + digest))
                .PUT(BodyPublishers.ofByteArray(blob, half, blob.length - half)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (put.statusCode() != 201) {
            throw new IOException("put answered " + put.statusCode());
        }
        ackedBlobs.put(digest, true);
    }

    private static byte[] manifest(Digest config, long configSize, Digest layer, long layerSize) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
                + "\",\"size\":" + configSize + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer + "\",\"size\":" + layerSize
                + "}]}").getBytes();
    }

    private HttpResponse<byte[]> get(URI base, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "*/*").build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertEveryBlobMatchesItsAddress(Path root) throws IOException {
        Path blobs = root.resolve("docker/registry/v2/blobs/sha256");
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path data : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("data"))::iterator) {
                String hex = data.getParent().getFileName().toString();
                Digest expected = Digest.parse("sha256:" + hex);
                assertThat(Digest.compute(Digest.Algorithm.SHA256, Files.readAllBytes(data)))
                        .as("content at %s", data).isEqualTo(expected);
            }
        }
    }
}
