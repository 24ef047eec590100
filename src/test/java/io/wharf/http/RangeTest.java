package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Partial blob reads ({@code Range}, RFC 9110 section 14) and conditional reads ({@code If-None-Match}). */
class RangeTest extends RunningRegistryTest {
    static final byte[] CONTENT = utf8("abcdefghijklmnopqrstuvwxyz");
    String path;
    Digest digest;

    @BeforeEach
    void pushContent() throws Exception {
        digest = r.pushBlob("ranges", CONTENT);
        path = "/v2/ranges/blobs/" + digest;
    }

    @Test
    void get_advertisesByteRanges() throws Exception {
        assertThat(r.get(path).headers().firstValue("Accept-Ranges")).contains("bytes");
    }

    @Test
    void closedRange_is206WithThoseBytes() throws Exception {
        var res = r.get(path, "Range", "bytes=2-5");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(utf8("cdef"));
        assertThat(res.headers().firstValue("Content-Range")).contains("bytes 2-5/26");
        assertThat(res.headers().firstValueAsLong("Content-Length")).hasValue(4);
    }

    @Test
    void openRange_is206ToTheEnd() throws Exception {
        var res = r.get(path, "Range", "bytes=20-");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(utf8("uvwxyz"));
        assertThat(res.headers().firstValue("Content-Range")).contains("bytes 20-25/26");
    }

    @Test
    void suffixRange_is206WithTheLastBytes() throws Exception {
        var res = r.get(path, "Range", "bytes=-3");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(utf8("xyz"));
        assertThat(res.headers().firstValue("Content-Range")).contains("bytes 23-25/26");
    }

    @Test
    void rangeEndingPastTheBlob_isCutToTheBlob() throws Exception {
        var res = r.get(path, "Range", "bytes=24-1000");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(utf8("yz"));
        assertThat(res.headers().firstValue("Content-Range")).contains("bytes 24-25/26");
    }

    @Test
    void suffixLongerThanTheBlob_isTheWholeBlob() throws Exception {
        var res = r.get(path, "Range", "bytes=-100");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(CONTENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=26-", "bytes=100-200", "bytes=5-2", "bytes=-0", "bytes=abc", "items=0-1",
        "bytes=0-1,3-4", "bytes="})
    void unsatisfiableOrMalformedRange_is416WithTheSize(String range) throws Exception {
        var res = r.get(path, "Range", range);
        assertError(res, 416, "RANGE_INVALID");
        assertThat(res.headers().firstValue("Content-Range")).contains("bytes */26");
    }

    @Test
    void matchingETag_is304WithoutBody() throws Exception {
        String etag = r.get(path).headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + digest + "\"");
        var res = r.get(path, "If-None-Match", etag);
        assertThat(res.statusCode()).isEqualTo(304);
        assertThat(res.body()).isEmpty();
    }

    @Test
    void eTagInAListOfCandidates_is304() throws Exception {
        var res = r.get(path, "If-None-Match", "\"sha256:" + "0".repeat(64) + "\", \"" + digest + "\"");
        assertThat(res.statusCode()).isEqualTo(304);
    }

    @Test
    void otherETag_isAFullAnswer() throws Exception {
        var res = r.get(path, "If-None-Match", "\"sha256:" + "0".repeat(64) + "\"");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(CONTENT);
    }

    @Test
    void rangeOfALargeBlob_isExact() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 11));
        }
        Digest d = r.pushBlob("ranges", big);
        var res = r.get("/v2/ranges/blobs/" + d, "Range", "bytes=1048570-2097160");
        assertThat(res.statusCode()).isEqualTo(206);
        assertThat(res.body()).isEqualTo(Arrays.copyOfRange(big, 1048570, 2097161));
    }

    /** Around the size of one pooled buffer, where whole reads give way to the streaming copy. */
    @ParameterizedTest
    @ValueSource(ints = {65_535, 65_536, 65_537, 200_000})
    void blobsAroundTheBufferSize_areServedWholeAndInParts(int size) throws Exception {
        byte[] content = new byte[size];
        new java.util.Random(size).nextBytes(content);
        Digest d = r.pushBlob("sizes", content);
        String p = "/v2/sizes/blobs/" + d;
        assertThat(r.get(p).body()).isEqualTo(content);
        var part = r.get(p, "Range", "bytes=1000-" + (size - 2));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 1000, size - 1));
    }
}
