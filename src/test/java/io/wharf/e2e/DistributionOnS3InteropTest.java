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
        Path binary = ExternalTool.DOCKER_REGISTRY.require();
        ExternalTool.SKOPEO.require();
        try (S3Server s3 = S3Server.start(tmp)) {
            s3.createBucket("shared");
            int port = RegistryProcess.freeLoopbackPort();
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
                    """.formatted(s3.accessKey(), s3.secretKey(), S3Server.REGION, s3.endpoint(), port));
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("distribution.log").toFile());
            // The machine's AWS_* variables (a CA bundle, say) are not this test's: Distribution's SDK reads them.
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("REGISTRY_"));
            Process distribution = pb.start();
            DriverSettings.S3 settings = new DriverSettings.S3(s3.accessKey(), s3.secretKey(), S3Server.REGION,
                    "127.0.0.1:" + s3.port(), true, "shared", "/registry", false, false, true, 5L * MIB, 32L * MIB, 4,
                    32L * MIB, false, "", "STANDARD", "wharf-test");
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
