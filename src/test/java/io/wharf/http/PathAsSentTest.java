package io.wharf.http;

import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request acts on the path it spelled, or on nothing: Jetty resolves dot segments and drops {@code ;} parameters
 * before handlers see the path, so without a check {@code DELETE .../manifests/latest;x} deleted {@code latest} and
 * {@code /v2/team/x/../app} served {@code team/app}. Each such request is refused with {@code REQUEST_INVALID} and
 * changes nothing.
 */
class PathAsSentTest {
    @TempDir
    Path root;
    TestRegistry r;
    TestRegistry.Image image;

    @BeforeEach
    void start() throws Exception {
        r = TestRegistry.start(root);
        image = r.pushImage("team/app", "latest");
    }

    @AfterEach
    void stop() throws Exception {
        // Whatever was refused, the image is whole and nothing else was made.
        assertThat(r.get("/v2/team/app/manifests/latest", "Accept", Manifests.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        assertThat(r.get("/v2/team/app/blobs/" + image.layer()).statusCode()).isEqualTo(200);
        assertThat(TestRegistry.text(r.get("/v2/_catalog"))).isEqualTo("{\"repositories\":[\"team/app\"]}");
        r.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/team/app/manifests/latest;x", "/v2/team/app/manifests/latest;",
        "/v2/team;x/app/manifests/latest", "/v2/team/app;v=1/manifests/latest", "/v2/team/x/../app/manifests/latest",
        "/v2/team/./app/manifests/latest", "/v2/zzz/../team/app/manifests/latest", "/v2/team/app/manifests/./latest"})
    void aManifestPathWithParametersOrDotSegments_isRefusedForEveryMethod(String path) throws IOException {
        for (String method : new String[] {"GET", "HEAD", "DELETE"}) {
            assertInvalid(method, path, r.raw(method, path));
        }
        assertInvalid("PUT", path, r.raw("PUT", path, utf8(image.manifest()), "Content-Type", Manifests.OCI_MANIFEST));
    }

    @Test
    void blobAndUploadPathsWithParametersOrDotSegments_areRefusedAndStoreNothing() throws IOException {
        String layer = image.layer().toString();
        assertInvalid("GET", "blob", r.raw("GET", "/v2/team/app/blobs/" + layer + ";x"));
        assertInvalid("DELETE", "blob", r.raw("DELETE", "/v2/team/app/blobs/" + layer + ";x"));
        assertInvalid("GET", "tags", r.raw("GET", "/v2/team/app/tags/list;x"));
        byte[] content = utf8("pushed by a path it did not spell");
        String digest = TestRegistry.sha256(content).toString();
        for (String repo : new String[] {"other;x/app", "other/x/../app", "./other"}) {
            TestRegistry.RawResponse res = r.raw("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                    "Content-Type", "application/octet-stream");
            assertInvalid("POST", repo, res);
        }
        assertThat(Files.exists(root.resolve("docker/registry/v2/repositories/other"))).isFalse();
    }

    private static void assertInvalid(String method, String path, TestRegistry.RawResponse res) {
        String what = method + " " + path + " -> " + res.status() + " " + res.text();
        assertThat(res.status()).as(what).isEqualTo(400);
        if (!method.equals("HEAD")) {
            assertThat(res.text()).as(what).contains("\"REQUEST_INVALID\"");
        }
    }
}
