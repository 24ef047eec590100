package io.wharf.http;

import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.DriverSettings;
import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import io.wharf.testing.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server on {@code storage.s3} (S3Proxy): a chunked push whose chunks cross the 5 MiB part limit, a pull
 * that is redirected to a presigned URL, and a pull with redirects disabled that streams through Wharf.
 */
class S3StorageTest {
    private static final int MIB = 1024 * 1024;
    @TempDir
    static Path dir;
    private static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start(dir);
        s3.createBucket("registry");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private static TestRegistry start(String root, boolean redirects) throws Exception {
        DriverSettings.S3 settings = new DriverSettings.S3(s3.accessKey(), s3.secretKey(), S3Server.REGION,
                "127.0.0.1:" + s3.port(), true, "registry", root, false, false, true, 5L * MIB, 32L * MIB, 4,
                32L * MIB, false, "", "STANDARD", "wharf-test");
        return TestRegistry.start(dir, c -> TestRegistry.withStorage(c, s -> new RegistryConfig.Storage(settings,
                true, false, s.uploadPurging(), s.blobDescriptorCache(), !redirects)));
    }

    @Test
    void chunkedPushThenPull_isRedirectedToAPresignedUrlServingTheBlob() throws Exception {
        byte[] blob = new byte[13 * MIB + 17];
        new Random(1).nextBytes(blob);
        Digest digest = sha256(blob);
        try (TestRegistry registry = start("/wharf", true)) {
            String location = registry.startUpload("s3/app");
            int[] cuts = {0, 6 * MIB, 7 * MIB, blob.length};
            for (int i = 0; i + 1 < cuts.length; i++) {
                var patch = registry.patch(location, Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]),
                        "Content-Range", cuts[i] + "-" + (cuts[i + 1] - 1));
                assertThat(patch.statusCode()).as("patch %d: %s", i, text(patch)).isEqualTo(202);
                location = patch.headers().firstValue("Location").orElseThrow();
            }
            var put = registry.put(location + (location.contains("?") ? "&" : "?") + "digest=" + digest, null);
            assertThat(put.statusCode()).as("closing put: %s", text(put)).isEqualTo(201);

            var get = registry.get("/v2/s3/app/blobs/" + digest);
            assertThat(get.statusCode()).isEqualTo(307);
            URI presigned = URI.create(get.headers().firstValue("Location").orElseThrow());
            assertThat(presigned.getPath()).isEqualTo("/registry/wharf/docker/registry/v2/blobs/sha256/"
                    + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data");
            try (HttpClient plain = HttpClient.newHttpClient()) {
                HttpResponse<byte[]> fetched = plain.send(HttpRequest.newBuilder(presigned).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(fetched.statusCode()).isEqualTo(200);
                assertThat(sha256(fetched.body())).isEqualTo(digest);
            }
        }
    }

    @Test
    void redirectsDisabled_pullStreamsThroughWharf() throws Exception {
        try (TestRegistry registry = start("", false)) {
            TestRegistry.Image image = registry.pushImage("s3/streamed", "v1");

            var manifest = registry.get("/v2/s3/streamed/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
            assertThat(manifest.statusCode()).isEqualTo(200);
            var layer = registry.get("/v2/s3/streamed/blobs/" + image.layer());
            assertThat(layer.statusCode()).isEqualTo(200);
            assertThat(sha256(layer.body())).isEqualTo(image.layer());
            assertThat(registry.get("/v2/_catalog").body()).asString().contains("s3/streamed");
        }
    }
}
