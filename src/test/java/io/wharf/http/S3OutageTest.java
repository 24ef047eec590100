package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.testing.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the object store goes away under a running Wharf, clients get {@code 503 UNAVAILABLE} with the spec's JSON
 * body (retry later), not a {@code 500}.
 */
class S3OutageTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void anObjectStoreThatIsDown_answers503WithTheSpecsJson() throws Exception {
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        try {
            s3.createBucket("registry");
            DriverSettings.S3 settings = new DriverSettings.S3(s3.accessKey(), s3.secretKey(), S3Server.REGION,
                    "127.0.0.1:" + s3.port(), true, "registry", "/", false, false, true, 5 * MIB, 32 * MIB, 4,
                    32 * MIB, false, "", "STANDARD", "wharf-test");
            try (TestRegistry registry = TestRegistry.start(dir.resolve("wharf"), c -> TestRegistry.withStorage(c,
                    s -> new RegistryConfig.Storage(settings, true, false, s.uploadPurging(),
                            s.blobDescriptorCache(), true)))) {
                TestRegistry.Image image = registry.pushImage("team/app", "v1");
                s3.close();
                s3 = null;

                var manifest = registry.get("/v2/team/app/manifests/v2", "Accept", Manifests.OCI_MANIFEST);
                assertThat(manifest.statusCode()).as(TestRegistry.text(manifest)).isEqualTo(503);
                assertThat(TestRegistry.json(manifest).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
                var upload = registry.post("/v2/team/app/blobs/uploads/", new byte[0]);
                assertThat(upload.statusCode()).as(TestRegistry.text(upload)).isEqualTo(503);
                assertThat(TestRegistry.json(upload).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
                // A collection asked for meanwhile is refused as retryable too, not answered 500.
                var gc = registry.post("/admin/gc?dryRun=true", new byte[0]);
                assertThat(gc.statusCode()).as(TestRegistry.text(gc)).isEqualTo(503);
                assertThat(TestRegistry.json(gc).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(image.digest()).isNotNull();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }
}
