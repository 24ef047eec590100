package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.ErrorAssertions.assertHeadError;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import org.junit.jupiter.api.Test;

/** end-2: {@code GET} and {@code HEAD /v2/<name>/blobs/<digest>}. */
class BlobPullTest extends RunningRegistryTest {
    @Test
    void get_returnsTheContentWithDigestAndLength() throws Exception {
        byte[] content = utf8("some layer bytes");
        Digest d = r.pushBlob("lib/app", content);
        var res = r.get("/v2/lib/app/blobs/" + d);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(content);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(res.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    }

    @Test
    void largeBlob_isServedWhole_andByRange_acrossManyBuffers() throws Exception {
        // Many of the 64 KiB buffers a file is copied through, with a range starting and ending inside them.
        byte[] content = new byte[9 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(content);
        Digest d = r.pushBlob("lib/big", content);

        var whole = r.get("/v2/lib/big/blobs/" + d);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(Digest.compute(Digest.Algorithm.SHA256, whole.body())).isEqualTo(d);

        long from = 8L * 1024 * 1024 - 5;
        var part = r.send(r.request("/v2/lib/big/blobs/" + d).header("Range", "bytes=" + from + "-" + (from + 99))
                .GET().build());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, (int) from, (int) from + 100));
    }

    @Test
    void manyConcurrentLargePulls_allGetTheirBytes_beyondTheLargeBufferBudget() throws Exception {
        // 80 at once: more than the 64 that get 256 KiB steps, so the rest go in 64 KiB steps meanwhile.
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(11).nextBytes(content);
        Digest d = r.pushBlob("lib/many", content);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var pulls = new java.util.ArrayList<java.util.concurrent.Future<java.net.http.HttpResponse<byte[]>>>();
            for (int i = 0; i < 80; i++) {
                pulls.add(threads.submit(() -> r.send(r.request("/v2/lib/many/blobs/" + d).GET().build())));
            }
            for (var pull : pulls) {
                var res = pull.get(2, java.util.concurrent.TimeUnit.MINUTES);
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(Digest.compute(Digest.Algorithm.SHA256, res.body())).isEqualTo(d);
            }
        }
    }

    @Test
    void head_returnsLengthAndDigestWithoutBody() throws Exception {
        byte[] content = utf8("0123456789");
        Digest d = r.pushBlob("lib/app", content);
        var res = r.head("/v2/lib/app/blobs/" + d);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEmpty();
        assertThat(res.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
    }

    @Test
    void emptyBlob_canBePushedAndPulled() throws Exception {
        Digest d = r.pushBlob("lib/app", new byte[0]);
        var res = r.get("/v2/lib/app/blobs/" + d);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEmpty();
        assertThat(res.headers().firstValueAsLong("Content-Length")).hasValue(0);
    }

    @Test
    void unknownBlob_is404BlobUnknown() throws Exception {
        String path = "/v2/lib/app/blobs/" + TestRegistry.sha256(utf8("never pushed"));
        r.pushBlob("lib/app", utf8("something else"));
        assertError(r.get(path), 404, "BLOB_UNKNOWN");
        assertHeadError(r.head(path), 404);
    }

    @Test
    void blobOfAnotherRepository_isNotVisible() throws Exception {
        Digest d = r.pushBlob("team/one", utf8("private to one"));
        assertError(r.get("/v2/team/two/blobs/" + d), 404, "BLOB_UNKNOWN");
        assertHeadError(r.head("/v2/team/two/blobs/" + d), 404);
    }

    @Test
    void malformedDigest_is400DigestInvalid() throws Exception {
        assertError(r.get("/v2/lib/app/blobs/sha256:totallywrong"), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/lib/app/blobs/sha256:" + "A".repeat(64)), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/lib/app/blobs/md5:d41d8cd98f00b204e9800998ecf8427e"), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/lib/app/blobs/nocolon"), 400, "DIGEST_INVALID");
    }
}
