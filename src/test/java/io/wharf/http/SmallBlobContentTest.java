package io.wharf.http;

import static io.wharf.http.TestRegistry.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small blobs (image configurations, mostly) are served from memory after their first read: whole and in ranges,
 * with the same bytes, and never once their file is gone, whoever removed it.
 */
class SmallBlobContentTest {
    @TempDir
    Path root;
    TestRegistry r;

    @BeforeEach
    void start() throws Exception {
        r = TestRegistry.start(root);
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    @Test
    void smallBlob_isServedFromMemory_wholeAndInRanges() throws Exception {
        byte[] config = random(4096, 1);
        Digest digest = r.pushBlob("app", config);
        String path = "/v2/app/blobs/" + digest;

        assertThat(r.get(path).body()).isEqualTo(config);
        double hits = kept("hit");
        assertThat(r.get(path).body()).isEqualTo(config);
        var part = r.get(path, "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(config, 1000, 2000));
        var tail = r.get(path, "Range", "bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(config, 4086, 4096));

        assertThat(kept("hit")).isEqualTo(hits + 3);
    }

    @Test
    void largerBlob_isServedFromItsFile() throws Exception {
        byte[] layer = random(256 * 1024, 2);
        Digest digest = r.pushBlob("app", layer);

        double misses = kept("miss");
        double hits = kept("hit");
        assertThat(r.get("/v2/app/blobs/" + digest).body()).isEqualTo(layer);
        assertThat(r.get("/v2/app/blobs/" + digest).body()).isEqualTo(layer);

        assertThat(kept("miss")).isEqualTo(misses);
        assertThat(kept("hit")).isEqualTo(hits);
    }

    @Test
    void smallBlobWhoseFileWasRemovedBehindTheServersBack_isNotServedFromMemory() throws Exception {
        byte[] config = random(2048, 3);
        Digest digest = r.pushBlob("app", config);
        String path = "/v2/app/blobs/" + digest;
        assertThat(r.get(path).body()).isEqualTo(config);

        // As another server without shared coordination, or an offline collection, would remove it.
        String hex = digest.toString().substring("sha256:".length());
        Files.delete(root.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data"));

        var gone = r.get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(TestRegistry.json(gone).path("errors").get(0).path("code").asText()).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void smallBlobPushedAgainAfterItsRemoval_isServedAgain() throws Exception {
        byte[] config = random(1024, 4);
        Digest digest = r.pushBlob("app", config);
        String path = "/v2/app/blobs/" + digest;
        assertThat(r.get(path).body()).isEqualTo(config);
        assertThat(r.delete(path).statusCode()).isEqualTo(202);
        assertThat(r.get(path).statusCode()).isEqualTo(404);

        r.pushBlob("app", config);

        assertThat(r.get(path).body()).isEqualTo(config);
    }

    private double kept(String result) {
        return r.server().meters().find("cache.gets").tag("cache", "small_blobs").tag("result", result)
                .functionCounter().count();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
