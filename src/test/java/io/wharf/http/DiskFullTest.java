package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.testing.Tmpfs;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose disk fills up: pushes that do not fit get {@code 503 UNAVAILABLE} with the spec's JSON body
 * (retryable, not a server fault), what was stored before still serves, nothing is left at the refused blob's
 * address, and pushes work again once space is freed. On a real filesystem (a small tmpfs) that runs out.
 */
class DiskFullTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aFullDisk_refusesPushesWith503_servesWhatItHas_andRecovers() throws Exception {
        try (Tmpfs small = Tmpfs.mount(dir.resolve("small"), "2m");
                TestRegistry r = TestRegistry.start(small.path().resolve("data"))) {
            byte[] kept = utf8("stored before the disk filled up");
            Digest keptDigest = r.pushBlob("full/app", kept);

            byte[] big = new byte[3 * MIB];
            new Random(7).nextBytes(big);
            Digest bigDigest = TestRegistry.sha256(big);
            assertError(r.post("/v2/full/app/blobs/uploads/?digest=" + bigDigest, big), 503, "UNAVAILABLE");
            String location = r.startUpload("full/app");
            assertError(r.patch(location, big, "Content-Type", "application/octet-stream"), 503, "UNAVAILABLE");

            assertThat(r.get("/v2/full/app/blobs/" + keptDigest).body()).isEqualTo(kept);
            assertThat(r.head("/v2/full/app/blobs/" + bigDigest).statusCode()).isEqualTo(404);

            // Space freed (the abandoned upload cancelled): the next push goes through.
            assertThat(r.delete(location).statusCode()).isEqualTo(204);
            byte[] fits = new byte[MIB / 2];
            new Random(8).nextBytes(fits);
            Digest fitsDigest = r.pushBlob("full/app", fits);
            assertThat(TestRegistry.sha256(r.get("/v2/full/app/blobs/" + fitsDigest).body())).isEqualTo(fitsDigest);
        }
    }
}
