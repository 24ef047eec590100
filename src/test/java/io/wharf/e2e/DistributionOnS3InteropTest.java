package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Await;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import io.wharf.testing.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout inside the bucket is Distribution's: Debian's {@code docker-registry} (Distribution 2.8.2) and Wharf
 * on one S3 bucket and root directory; skopeo pushes a multi-platform image through Wharf and pulls it byte for
 * byte through Distribution, and the other way round.
 */
@Tag("e2e")
class DistributionOnS3InteropTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void bothServeWhatTheOtherPushedIntoOneBucket() throws Exception {
        ExternalTool.DOCKER_REGISTRY.require();
        ExternalTool.SKOPEO.require();
        try (S3Server s3 = S3Server.start(tmp)) {
            s3.createBucket("shared");
            int port = RegistryProcess.freeLoopbackPort();
            Process distribution = startDistribution(s3, port, "");
            DriverSettings.S3 settings = settings(s3);
            try (TestRegistry wharf = TestRegistry.start(tmp.resolve("unused"), c -> TestRegistry.withStorage(c,
                    s -> new RegistryConfig.Storage(settings, true, false, s.uploadPurging(), s.blobDescriptorCache(),
                            false)))) {
                awaitServing(URI.create("http://127.0.0.1:" + port + "/v2/"), distribution, tmp);
                ClientConfig clients = ClientConfig.create(tmp.resolve("clients"));
                RegistryEndpoint viaWharf = RegistryEndpoint.of(wharf.base());
                RegistryEndpoint viaDistribution = new RegistryEndpoint("127.0.0.1:" + port);

                TestImage one = TestImage.write(tmp.resolve("one"), "v1", 101);
                Skopeo.pushAll(clients, one, viaWharf.docker("from/wharf", "v1"), tmp.resolve("one.digest"));
                OciLayout pulled = Skopeo.pullAll(clients, viaDistribution.docker("from/wharf", "v1"),
                        tmp.resolve("one-pulled"), "v1");
                Skopeo.assertSameImage(one.layout(), "v1", pulled, "v1");

                TestImage two = TestImage.write(tmp.resolve("two"), "v2", 202);
                Skopeo.pushAll(clients, two, viaDistribution.docker("from/distribution", "v2"),
                        tmp.resolve("two.digest"));
                OciLayout back = Skopeo.pullAll(clients, viaWharf.docker("from/distribution", "v2"),
                        tmp.resolve("two-pulled"), "v2");
                Skopeo.assertSameImage(two.layout(), "v2", back, "v2");
            } finally {
                distribution.destroy();
                distribution.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The first requests of a chunked upload through Distribution, the rest and the closing {@code PUT} through
     * Wharf, on one bucket with one {@code http.secret}: Wharf takes Distribution's signed {@code _state} and
     * continues the multipart upload Distribution left open. (The other way round cannot work on S3: Distribution
     * continues only an upload it finds open in {@code ListMultipartUploads}, and Wharf keeps the tail of an
     * unfinished upload as an object; docs/SCALING.md.)
     */
    @Test
    void anUploadStartedOnDistribution_isContinuedAndCompletedByWharf() throws Exception {
        ExternalTool.DOCKER_REGISTRY.require();
        String secret = "one secret for both";
        try (S3Server s3 = S3Server.start(tmp)) {
            s3.createBucket("shared");
            int port = RegistryProcess.freeLoopbackPort();
            Process distribution = startDistribution(s3, port, "  secret: " + secret + "\n");
            DriverSettings.S3 settings = settings(s3);
            try (TestRegistry wharf = TestRegistry.start(tmp.resolve("unused"), c -> TestRegistry.withHttp(
                    TestRegistry.withStorage(c, s -> new RegistryConfig.Storage(settings, true, false,
                            s.uploadPurging(), s.blobDescriptorCache(), false)), h -> h.withSecret(secret)))) {
                awaitServing(URI.create("http://127.0.0.1:" + port + "/v2/"), distribution, tmp);
                URI viaDistribution = URI.create("http://127.0.0.1:" + port);
                byte[] blob = new byte[7 * MIB + 3];
                new java.util.Random(11).nextBytes(blob);
                io.wharf.spec.Digest digest = TestRegistry.sha256(blob);
                var client = java.net.http.HttpClient.newHttpClient();
                var started = client.send(java.net.http.HttpRequest.newBuilder(
                        viaDistribution.resolve("/v2/hop/app/blobs/uploads/")).POST(
                                java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(started.statusCode()).isEqualTo(202);
                String location = pathOf(started.headers().firstValue("Location").orElseThrow());
                var first = client.send(java.net.http.HttpRequest.newBuilder(viaDistribution.resolve(location))
                        .header("Content-Type", "application/octet-stream")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                java.util.Arrays.copyOf(blob, 2 * MIB))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(first.statusCode()).as(TestRegistry.text(first)).isEqualTo(202);
                location = pathOf(first.headers().firstValue("Location").orElseThrow());
                var second = wharf.patch(location, java.util.Arrays.copyOfRange(blob, 2 * MIB, 6 * MIB),
                        "Content-Type", "application/octet-stream");
                assertThat(second.statusCode()).as(TestRegistry.text(second)).isEqualTo(202);
                assertThat(second.headers().firstValue("Range")).contains("0-" + (6 * MIB - 1));
                location = pathOf(second.headers().firstValue("Location").orElseThrow());
                var done = wharf.put(location + "&digest=" + digest,
                        java.util.Arrays.copyOfRange(blob, 6 * MIB, blob.length));
                assertThat(done.statusCode()).as(TestRegistry.text(done)).isEqualTo(201);
                var back = client.send(java.net.http.HttpRequest.newBuilder(
                        viaDistribution.resolve("/v2/hop/app/blobs/" + digest)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(back.statusCode()).isEqualTo(200);
                assertThat(TestRegistry.sha256(back.body())).isEqualTo(digest);
            } finally {
                distribution.destroy();
                distribution.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String pathOf(String location) {
        URI u = URI.create(location);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static DriverSettings.S3 settings(S3Server s3) {
        return new DriverSettings.S3(s3.accessKey(), s3.secretKey(), S3Server.REGION,
                "127.0.0.1:" + s3.port(), true, "shared", "/registry", false, false, true, 5L * MIB, 32L * MIB, 4,
                32L * MIB, false, "", "STANDARD", "wharf-test");
    }

    /** Distribution on the bucket {@code shared}, root {@code /registry}, with {@code httpKeys} added to http. */
    private Process startDistribution(S3Server s3, int port, String httpKeys) throws IOException {
        Path config = tmp.resolve("distribution.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  s3:
                    accesskey: %s
                    secretkey: %s
                    region: %s
                    regionendpoint: %s
                    bucket: shared
                    rootdirectory: /registry
                    secure: false
                  delete:
                    enabled: true
                  redirect:
                    disable: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(s3.accessKey(), s3.secretKey(), S3Server.REGION, s3.endpoint(), port) + httpKeys);
        ProcessBuilder pb = new ProcessBuilder(ExternalTool.DOCKER_REGISTRY.require().toString(), "serve",
                config.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("distribution.log").toFile());
        // The machine's AWS_* variables (a CA bundle, say) are not this test's: Distribution's SDK reads them.
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("REGISTRY_"));
        return pb.start();
    }

    private static void awaitServing(URI uri, Process process, Path tmp) throws Exception {
        Await.serving(uri, Duration.ofSeconds(60), "docker-registry serving", () -> {
            try {
                assertThat(process.isAlive()).as("docker-registry running: %s",
                        Files.readString(tmp.resolve("distribution.log"))).isTrue();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
