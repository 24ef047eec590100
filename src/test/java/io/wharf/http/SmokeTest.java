package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path root;

    @Test
    void pushAndPullABlobAndManifest() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            assertThat(r.send(r.request("/v2/").GET().build()).statusCode()).isEqualTo(200);
            byte[] blob = "hello".getBytes(StandardCharsets.UTF_8);
            Digest d = Digest.compute(Digest.Algorithm.SHA256, blob);
            var post = r.send(r.request("/v2/a/b/blobs/uploads/").POST(BodyPublishers.noBody()).build());
            assertThat(post.statusCode()).isEqualTo(202);
            String loc = post.headers().firstValue("Location").orElseThrow();
            var patch = r.send(r.request(loc).method("PATCH", BodyPublishers.ofByteArray(blob)).build());
            assertThat(patch.statusCode()).isEqualTo(202);
            assertThat(patch.headers().firstValue("Range")).contains("0-4");
            var put = r.send(r.request(loc + "?digest=" + d).PUT(BodyPublishers.noBody()).build());
            assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
            var get = r.send(r.request("/v2/a/b/blobs/" + d).GET().build());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(blob);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + d
                    + "\",\"size\":5},\"layers\":[]}";
            var mput = r.send(r.request("/v2/a/b/manifests/latest")
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(BodyPublishers.ofString(manifest)).build());
            assertThat(mput.statusCode()).as(new String(mput.body())).isEqualTo(201);
            var mget = r.send(r.request("/v2/a/b/manifests/latest").GET().build());
            assertThat(new String(mget.body(), StandardCharsets.UTF_8)).isEqualTo(manifest);
            var tags = r.send(r.request("/v2/a/b/tags/list").GET().build());
            assertThat(new String(tags.body())).isEqualTo("{\"name\":\"a/b\",\"tags\":[\"latest\"]}");
            var cat = r.send(r.request("/v2/_catalog").GET().build());
            assertThat(new String(cat.body())).isEqualTo("{\"repositories\":[\"a/b\"]}");
            var bad = r.send(r.request("/v2/A/manifests/latest").GET().build());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new String(bad.body())).contains("NAME_INVALID");
        }
    }
}
