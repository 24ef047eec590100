package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pushing blobs: end-4a/4b (POST), end-5 (PATCH), end-6 (PUT), end-13 (GET status) and cancel. */
class BlobUploadTest extends RunningRegistryTest {
    static final String REPO = "up/load";

    private static String withDigest(String location, Digest d) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + d;
    }

    private void assertStored(Digest d, byte[] content) throws Exception {
        var get = r.get("/v2/" + REPO + "/blobs/" + d);
        assertThat(get.statusCode()).as("GET %s", d).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
    }

    private static void assertCreated(HttpResponse<byte[]> res, Digest d) {
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        assertThat(URI.create(res.headers().firstValue("Location").orElseThrow()).getPath())
                .isEqualTo("/v2/" + REPO + "/blobs/" + d);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
    }

    private static String location(HttpResponse<byte[]> res) {
        return res.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void monolithicPost_withDigest_is201AndStoresTheBlob() throws Exception {
        byte[] content = utf8("monolithic");
        Digest d = sha256(content);
        assertCreated(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + d, content), d);
        assertStored(d, content);
    }

    @Test
    void post_startsASessionWithLocationRangeAndUuid() throws Exception {
        var res = r.post("/v2/" + REPO + "/blobs/uploads/", null);
        assertThat(res.statusCode()).isEqualTo(202);
        String uuid = res.headers().firstValue("Docker-Upload-UUID").orElseThrow();
        assertThat(URI.create(location(res)).getPath()).isEqualTo("/v2/" + REPO + "/blobs/uploads/" + uuid);
        assertThat(res.headers().firstValue("Range")).contains("0-0");
        assertThat(res.headers().firstValueAsLong("Content-Length")).hasValue(0);
    }

    @Test
    void postThenPutWithTheWholeBody_is201() throws Exception {
        byte[] content = utf8("post then put");
        Digest d = sha256(content);
        String loc = r.startUpload(REPO);
        assertCreated(r.put(withDigest(loc, d), content, "Content-Type", "application/octet-stream"), d);
        assertStored(d, content);
    }

    @Test
    void streamedPatch_thenPut_is201() throws Exception {
        byte[] content = utf8("streamed in one patch without Content-Range");
        Digest d = sha256(content);
        var patch = r.patch(r.startUpload(REPO), content, "Content-Type", "application/octet-stream");
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-" + (content.length - 1));
        assertCreated(r.put(withDigest(location(patch), d), null), d);
        assertStored(d, content);
    }

    @Test
    void chunkedPatches_withContentRange_areAppendedInOrder() throws Exception {
        byte[] content = utf8("0123456789abcdefghij");
        Digest d = sha256(content);
        String loc = r.startUpload(REPO);
        var first = r.patch(loc, utf8("0123456789"), "Content-Range", "0-9");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).contains("0-9");
        var second = r.patch(location(first), utf8("abcdefghij"), "Content-Range", "10-19");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Range")).contains("0-19");
        assertCreated(r.put(withDigest(location(second), d), null), d);
        assertStored(d, content);
    }

    @Test
    void closingPut_mayCarryTheLastChunk() throws Exception {
        byte[] content = utf8("first part|last part");
        Digest d = sha256(content);
        var first = r.patch(r.startUpload(REPO), utf8("first part|"), "Content-Range", "0-10");
        assertThat(first.statusCode()).isEqualTo(202);
        assertCreated(r.put(withDigest(location(first), d), utf8("last part"), "Content-Range", "11-19"), d);
        assertStored(d, content);
    }

    @Test
    void outOfOrderChunk_is416AndTheSessionContinues() throws Exception {
        byte[] content = utf8("aaaaabbbbb");
        Digest d = sha256(content);
        var first = r.patch(r.startUpload(REPO), utf8("aaaaa"), "Content-Range", "0-4");
        String loc = location(first);
        assertError(r.patch(loc, utf8("ccccc"), "Content-Range", "10-14"), 416, "RANGE_INVALID");
        var status = r.get(loc);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-4");
        var second = r.patch(loc, utf8("bbbbb"), "Content-Range", "5-9");
        assertThat(second.statusCode()).isEqualTo(202);
        assertCreated(r.put(withDigest(location(second), d), null), d);
        assertStored(d, content);
    }

    @Test
    void retryOfThePreviousChunk_is416AndDoesNotDuplicateIt() throws Exception {
        byte[] content = utf8("aaaaabbbbb");
        Digest d = sha256(content);
        var first = r.patch(r.startUpload(REPO), utf8("aaaaa"), "Content-Range", "0-4");
        String loc = location(first);
        assertError(r.patch(loc, utf8("aaaaa"), "Content-Range", "0-4"), 416, "RANGE_INVALID");
        var second = r.patch(loc, utf8("bbbbb"), "Content-Range", "5-9");
        assertThat(second.headers().firstValue("Range")).contains("0-9");
        assertCreated(r.put(withDigest(location(second), d), null), d);
        assertStored(d, content);
    }

    @Test
    void statusOfAnUpload_is204WithRangeLocationAndUuid() throws Exception {
        var post = r.post("/v2/" + REPO + "/blobs/uploads/", null);
        String uuid = post.headers().firstValue("Docker-Upload-UUID").orElseThrow();
        var patch = r.patch(location(post), utf8("1234567"));
        var status = r.get(location(patch));
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.body()).isEmpty();
        assertThat(status.headers().firstValue("Range")).contains("0-6");
        assertThat(status.headers().firstValue("Docker-Upload-UUID")).contains(uuid);
        assertThat(URI.create(location(status)).getPath()).isEqualTo("/v2/" + REPO + "/blobs/uploads/" + uuid);
    }

    @Test
    void cancel_is204AndTheUploadIsThenUnknown() throws Exception {
        String loc = r.startUpload(REPO);
        r.patch(loc, utf8("partial"));
        var cancel = r.delete(loc);
        assertThat(cancel.statusCode()).isEqualTo(204);
        assertError(r.get(loc), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.patch(loc, utf8("more")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.put(withDigest(loc, sha256(utf8("partial"))), null), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.delete(loc), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void wrongDigestOnPut_is400DigestInvalidAndNothingIsStored() throws Exception {
        byte[] content = utf8("the real content");
        Digest claimed = sha256(utf8("something else"));
        String loc = r.startUpload(REPO);
        assertError(r.put(withDigest(loc, claimed), content), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/" + REPO + "/blobs/" + claimed), 404, "BLOB_UNKNOWN");
        assertError(r.get("/v2/" + REPO + "/blobs/" + sha256(content)), 404, "BLOB_UNKNOWN");
    }

    @Test
    void wrongDigestOnMonolithicPost_is400DigestInvalidAndNothingIsStored() throws Exception {
        byte[] content = utf8("the real content");
        Digest claimed = sha256(utf8("something else"));
        assertError(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + claimed, content), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/" + REPO + "/blobs/" + claimed), 404, "BLOB_UNKNOWN");
        assertError(r.get("/v2/" + REPO + "/blobs/" + sha256(content)), 404, "BLOB_UNKNOWN");
    }

    @Test
    void putWithoutDigest_is400DigestInvalid() throws Exception {
        String loc = r.startUpload(REPO);
        assertError(r.put(loc, utf8("x")), 400, "DIGEST_INVALID");
    }

    @Test
    void malformedDigestParameter_is400DigestInvalid() throws Exception {
        assertError(r.post("/v2/" + REPO + "/blobs/uploads/?digest=sha256:nothex", utf8("x")), 400, "DIGEST_INVALID");
    }

    @Test
    void sha512Digests_areAcceptedForUploadsAndPulls() throws Exception {
        byte[] content = utf8("hashed with sha512");
        Digest d = Digest.compute(Digest.Algorithm.SHA512, content);
        assertCreated(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + d, content), d);
        assertStored(d, content);
        byte[] chunked = utf8("sha512 in chunks");
        Digest d2 = Digest.compute(Digest.Algorithm.SHA512, chunked);
        var patch = r.patch(r.startUpload(REPO), chunked, "Content-Range", "0-" + (chunked.length - 1));
        assertCreated(r.put(withDigest(location(patch), d2), null), d2);
        assertStored(d2, chunked);
        var head = r.head("/v2/" + REPO + "/blobs/" + d2);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(d2.toString());
    }

    @Test
    void wrongSha512Digest_is400DigestInvalid() throws Exception {
        Digest claimed = Digest.compute(Digest.Algorithm.SHA512, utf8("other"));
        assertError(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + claimed, utf8("mine")), 400, "DIGEST_INVALID");
    }

    @Test
    void bodiesWithChunkedTransferEncoding_areAccepted() throws Exception {
        byte[] a = utf8("streamed without a Content-Length, ");
        byte[] b = utf8("closed the same way");
        byte[] whole = utf8("streamed without a Content-Length, closed the same way");
        Digest d = sha256(whole);
        String loc = r.startUpload(REPO);
        var patch = r.send(r.request(loc)
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(a))).build());
        assertThat(patch.statusCode()).as(TestRegistry.text(patch)).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-" + (a.length - 1));
        var put = r.send(r.request(withDigest(location(patch), d))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(b))).build());
        assertCreated(put, d);
        assertStored(d, whole);

        byte[] mono = utf8("monolithic and chunked");
        Digest md = sha256(mono);
        var post = r.send(r.request("/v2/" + REPO + "/blobs/uploads/?digest=" + md)
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(mono))).build());
        assertCreated(post, md);
        assertStored(md, mono);
    }

    @Test
    void reUploadOfAnExistingBlob_is201() throws Exception {
        byte[] content = utf8("pushed twice");
        Digest d = sha256(content);
        assertCreated(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + d, content), d);
        assertCreated(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + d, content), d);
        String loc = r.startUpload(REPO);
        assertCreated(r.put(withDigest(loc, d), content), d);
        assertStored(d, content);
    }

    @Test
    void malformedUploadId_is404BlobUploadUnknown() throws Exception {
        String path = "/v2/" + REPO + "/blobs/uploads/not-an-upload";
        assertError(r.get(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.patch(path, utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.put(path + "?digest=" + sha256(utf8("x")), utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.delete(path), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void wellFormedButUnknownUploadId_is404BlobUploadUnknown() throws Exception {
        String path = "/v2/" + REPO + "/blobs/uploads/" + UUID.randomUUID();
        assertError(r.get(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.patch(path, utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void uploadOfOneRepository_isUnknownInAnother() throws Exception {
        String loc = r.startUpload(REPO);
        String uuid = loc.substring(loc.lastIndexOf('/') + 1);
        assertError(r.get("/v2/other/repo/blobs/uploads/" + uuid), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(r.patch("/v2/other/repo/blobs/uploads/" + uuid, utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void completedUpload_isNoLongerAnUpload() throws Exception {
        byte[] content = utf8("done");
        Digest d = sha256(content);
        String loc = r.startUpload(REPO);
        assertCreated(r.put(withDigest(loc, d), content), d);
        assertError(r.get(loc), 404, "BLOB_UPLOAD_UNKNOWN");
    }
}
