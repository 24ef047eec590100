package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.registry.GcOptions;
import io.wharf.registry.GcReport;
import io.wharf.spec.Digest;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RedisServer;
import io.wharf.testing.S3Server;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Wharf servers on one S3 bucket and one Redis, as behind a round-robin load balancer: a chunked upload whose
 * requests hop between the instances; skopeo and podman each pushing through one instance and pulling through every
 * instance, following the redirects to presigned URLs (podman's blob GETs are counted: each answered 307, none
 * streamed by Wharf); and online garbage collection (grace period five minutes) running again and again on
 * one instance while another takes pushes, after which every tag pulls completely.
 */
@Tag("e2e")
class ThreeInstancesOnS3Test {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void threeInstancesOneBucketOneRedis() throws Exception {
        try (RedisServer redis = RedisServer.start(dir); S3Server s3 = S3Server.start(dir)) {
            s3.createBucket("registry");
            DriverSettings.S3 settings = new DriverSettings.S3(s3.accessKey(), s3.secretKey(), S3Server.REGION,
                    "127.0.0.1:" + s3.port(), true, "registry", "/three", false, false, true, 5L * MIB, 32L * MIB,
                    4, 32L * MIB, false, "", "STANDARD", "wharf-test");
            RegistryConfig.Redis shared = RegistryConfig.Redis.defaults(redis.addr());
            UnaryOperator<RegistryConfig> onS3 = c -> TestRegistry.withStorage(c, s -> new RegistryConfig.Storage(
                    settings, true, false, s.uploadPurging(), s.blobDescriptorCache(), false)).withRedis(shared)
                    .withHttp(c.http().withSecret("one secret for the three"));
            Path unused = dir.resolve("unused");
            try (TestRegistry a = TestRegistry.start(unused, onS3);
                    TestRegistry b = TestRegistry.start(unused, onS3);
                    TestRegistry c = TestRegistry.start(unused, onS3)) {
                List<TestRegistry> all = List.of(a, b, c);
                chunkedUploadHopsBetweenInstances(a, b, c);
                skopeoRoundTripsThroughEachInstance(a, b, c);
                podmanRoundTripsThroughEachInstance(a, b, c);
                gcOnOneWhilePushingThroughAnother(a, b, all);
            }
        }
    }

    /** A blob as a client gets it: redirected to a presigned URL of the bucket, which it then fetches. */
    private static byte[] blob(TestRegistry r, String path) throws Exception {
        HttpResponse<byte[]> first = r.get(path);
        assertThat(first.statusCode()).as("GET %s", path).isEqualTo(307);
        URI presigned = URI.create(first.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> fetched = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(presigned).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        return fetched.body();
    }

    private static String pathOf(String location) {
        URI u = URI.create(location);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static void chunkedUploadHopsBetweenInstances(TestRegistry a, TestRegistry b, TestRegistry c)
            throws Exception {
        byte[] blob = new byte[12 * MIB + 5];
        new Random(3).nextBytes(blob);
        Digest digest = TestRegistry.sha256(blob);
        String location = pathOf(a.startUpload("hop/app"));
        int[] cuts = {0, 6 * MIB, 11 * MIB, blob.length};
        TestRegistry[] hops = {b, c, a};
        for (int i = 0; i + 1 < cuts.length; i++) {
            byte[] chunk = java.util.Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]);
            HttpResponse<byte[]> r = hops[i].patch(location, chunk, "Content-Type", "application/octet-stream",
                    "Content-Range", cuts[i] + "-" + (cuts[i + 1] - 1));
            assertThat(r.statusCode()).as("chunk %s through instance %s: %s", i, i, TestRegistry.text(r))
                    .isEqualTo(202);
            location = pathOf(r.headers().firstValue("Location").orElseThrow());
        }
        HttpResponse<byte[]> done = b.put(location + (location.contains("?") ? "&" : "?") + "digest=" + digest, null);
        assertThat(done.statusCode()).as(TestRegistry.text(done)).isEqualTo(201);
        for (TestRegistry r : List.of(a, b, c)) {
            assertThat(TestRegistry.sha256(blob(r, "/v2/hop/app/blobs/" + digest))).isEqualTo(digest);
        }
    }

    private void skopeoRoundTripsThroughEachInstance(TestRegistry a, TestRegistry b, TestRegistry c)
            throws Exception {
        ExternalTool.SKOPEO.require();
        ClientConfig clients = ClientConfig.create(dir.resolve("clients"));
        TestImage image = TestImage.write(dir.resolve("image"), "v1", 5);
        Skopeo.pushAll(clients, image, RegistryEndpoint.of(a.base()).docker("team/app", "v1"),
                dir.resolve("pushed.digest"));
        int n = 0;
        for (TestRegistry r : List.of(b, c, a)) {
            OciLayout pulled = Skopeo.pullAll(clients, RegistryEndpoint.of(r.base()).docker("team/app", "v1"),
                    dir.resolve("pulled-" + n++), "v1");
            Skopeo.assertSameImage(image.layout(), "v1", pulled, "v1");
        }
    }

    /**
     * podman pushes an image from its own storage through {@code b}, then pulls it into fresh storage through
     * {@code c}, {@code a} and {@code b}. Each instance answers every blob GET of the pull with a redirect to the
     * bucket and streams none itself, so the bytes podman checks came from S3 by the presigned URL.
     */
    private void podmanRoundTripsThroughEachInstance(TestRegistry a, TestRegistry b, TestRegistry c)
            throws Exception {
        ExternalTool.PODMAN.require();
        ClientConfig clients = ClientConfig.create(dir.resolve("podman-clients"));
        TestImage image = TestImage.write(dir.resolve("podman-image"), "v1", 7);
        TestImage.Platform amd64 = image.platform("amd64");
        // Short directory names: podman refuses a run root longer than 50 characters.
        Podman pusher = Podman.create(dir.resolve("pusher"), clients);
        String id = pusher.check("pull", "-q", "oci:" + image.layout().dir() + ":v1-amd64").stdout().strip();
        pusher.check("tag", id, "localhost/three:v1");
        Path digestFile = dir.resolve("podman.digest");
        pusher.check("push", "--tls-verify=false", "--digestfile", digestFile.toString(), "localhost/three:v1",
                RegistryEndpoint.of(b.base()).docker("team/podman", "v1"));
        String pushed = Files.readString(digestFile).strip();
        int n = 0;
        for (TestRegistry r : List.of(c, a, b)) {
            double redirected = blobGets(r, "307");
            double streamed = blobGets(r, "200") + blobGets(r, "206");
            Podman puller = Podman.create(dir.resolve("puller" + n++), clients);
            String reference = RegistryEndpoint.of(r.base()).hostPort() + "/team/podman:v1";
            puller.check("pull", "--tls-verify=false", reference);
            JsonNode pulled = PodmanRoundTripTest.inspect(puller, reference);
            assertThat(pulled.get("Id").asText()).as(pulled.toString())
                    .isEqualTo(PodmanRoundTripTest.hex(amd64.configDigest()));
            assertThat(pulled.get("Digest").asText()).isEqualTo(pushed);
            assertThat(blobGets(r, "307") - redirected).as("blob GETs redirected by %s", r.base())
                    .isGreaterThanOrEqualTo(1 + amd64.diffIds().size());
            assertThat(blobGets(r, "200") + blobGets(r, "206") - streamed).as("blob GETs streamed by %s", r.base())
                    .isZero();
        }
    }

    /** The blob GETs {@code r} has answered with status {@code code} so far, from its request counter. */
    private static double blobGets(TestRegistry r, String code) {
        Counter counter = r.server().meters().find("registry.http.requests")
                .tags("code", code, "handler", "blob", "method", "get").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void gcOnOneWhilePushingThroughAnother(TestRegistry a, TestRegistry b, List<TestRegistry> all)
            throws Exception {
        // A blob pushed but not yet named by a manifest is protected only by the grace period (as in Distribution's
        // model, it is garbage once that is over), so the collections run with one: five minutes.
        GcOptions online = new GcOptions(false, false, Duration.ofMinutes(5), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<List<TestRegistry.Image>> pushes = pool.submit(() -> {
            List<TestRegistry.Image> images = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                images.add(b.pushImage("busy/app", "t" + i));
            }
            return images;
        });
        List<GcReport> runs = new ArrayList<>();
        while (!pushes.isDone()) {
            runs.add(a.server().garbageCollector().run(online));
        }
        List<TestRegistry.Image> images = pushes.get(5, TimeUnit.MINUTES);
        runs.add(a.server().garbageCollector().run(online));
        pool.shutdown();
        assertThat(runs).isNotEmpty();
        for (TestRegistry r : all) {
            for (int i = 0; i < images.size(); i++) {
                TestRegistry.Image image = images.get(i);
                HttpResponse<byte[]> m = r.get("/v2/busy/app/manifests/t" + i, "Accept", MANIFEST);
                assertThat(m.statusCode()).as("t%s after collection", i).isEqualTo(200);
                for (Digest d : List.of(image.config(), image.layer())) {
                    assertThat(TestRegistry.sha256(blob(r, "/v2/busy/app/blobs/" + d))).as("blob %s of t%s", d, i)
                            .isEqualTo(d);
                }
            }
        }
    }
}
