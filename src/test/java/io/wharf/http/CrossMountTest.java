package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** end-11: {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>}. */
class CrossMountTest extends RunningRegistryTest {
    @Test
    void mountOfABlobTheSourceHas_is201WithTheTargetLocation() throws Exception {
        byte[] content = utf8("shared layer");
        Digest d = r.pushBlob("source/repo", content);
        var res = r.post("/v2/target/repo/blobs/uploads/?mount=" + d + "&from=source/repo", null);
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        URI location = URI.create(res.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPath()).isEqualTo("/v2/target/repo/blobs/" + d);
        assertThat(location.getQuery()).isNull();
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        var get = r.get("/v2/target/repo/blobs/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
    }

    @Test
    void mountOfABlobTheSourceLacks_is202WithAUsableSession() throws Exception {
        r.pushBlob("source/repo", utf8("something else"));
        byte[] content = utf8("not in the source");
        Digest d = sha256(content);
        var res = r.post("/v2/target/repo/blobs/uploads/?mount=" + d + "&from=source/repo", null);
        assertThat(res.statusCode()).isEqualTo(202);
        String loc = res.headers().firstValue("Location").orElseThrow();
        assertThat(URI.create(loc).getPath()).startsWith("/v2/target/repo/blobs/uploads/");
        assertThat(res.headers().firstValue("Docker-Upload-UUID")).isPresent();
        var put = r.put(loc + "?digest=" + d, content);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(r.get("/v2/target/repo/blobs/" + d).body()).isEqualTo(content);
        assertError(r.get("/v2/source/repo/blobs/" + d), 404, "BLOB_UNKNOWN");
    }

    @Test
    void mountWithoutFrom_is202Session() throws Exception {
        Digest d = r.pushBlob("source/repo", utf8("exists elsewhere"));
        var res = r.post("/v2/target/repo/blobs/uploads/?mount=" + d, null);
        assertThat(res.statusCode()).isEqualTo(202);
        assertThat(URI.create(res.headers().firstValue("Location").orElseThrow()).getPath())
                .startsWith("/v2/target/repo/blobs/uploads/");
    }

    @Test
    void mountFromARepositoryThatDoesNotLinkTheBlob_doesNotLeakIt() throws Exception {
        Digest d = r.pushBlob("private/repo", utf8("not yours"));
        r.pushBlob("public/repo", utf8("yours"));
        var res = r.post("/v2/target/repo/blobs/uploads/?mount=" + d + "&from=public/repo", null);
        assertThat(res.statusCode()).isEqualTo(202);
        assertError(r.get("/v2/target/repo/blobs/" + d), 404, "BLOB_UNKNOWN");
    }

    @Test
    void mountOfAMalformedDigest_is400DigestInvalid() throws Exception {
        assertError(r.post("/v2/target/repo/blobs/uploads/?mount=sha256:zz&from=source/repo", null),
                400, "DIGEST_INVALID");
    }

    @Test
    void mountFromAnInvalidName_is400NameInvalid() throws Exception {
        Digest d = r.pushBlob("source/repo", utf8("x"));
        assertError(r.post("/v2/target/repo/blobs/uploads/?mount=" + d + "&from=Bad/Name", null),
                400, "NAME_INVALID");
    }
}
