package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.ErrorAssertions.assertHeadError;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** end-9 and end-10: deleting manifests, tags and blobs; refusals when deletes or writes are off. */
class DeleteTest {
    static final String REPO = "del/repo";
    @TempDir
    Path root;

    private static RegistryConfig.Storage storage(RegistryConfig.Storage s, boolean delete, boolean readOnly) {
        return s.withWrites(delete, readOnly);
    }

    @Test
    void manifestDeletedByDigest_is202ThenUnknownWithItsTags() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            TestRegistry.Image image = r.pushImage(REPO, "v1");
            r.pushManifest(REPO, "also", Manifests.OCI_MANIFEST, image.manifest());
            TestRegistry.Image other = r.pushImage(REPO, "v2");
            assertThat(r.delete("/v2/" + REPO + "/manifests/" + image.digest()).statusCode()).isEqualTo(202);
            assertError(r.get("/v2/" + REPO + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
            assertHeadError(r.head("/v2/" + REPO + "/manifests/" + image.digest()), 404);
            assertError(r.get("/v2/" + REPO + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
            assertError(r.get("/v2/" + REPO + "/manifests/also"), 404, "MANIFEST_UNKNOWN");
            var tags = TestRegistry.json(r.get("/v2/" + REPO + "/tags/list"));
            assertThat(tags.get("tags").toString()).isEqualTo("[\"v2\"]");
            assertThat(r.get("/v2/" + REPO + "/manifests/" + other.digest()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void deletedManifest_canBePushedAgain() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            TestRegistry.Image image = r.pushImage(REPO, "v1");
            r.delete("/v2/" + REPO + "/manifests/" + image.digest());
            r.pushManifest(REPO, "v1", Manifests.OCI_MANIFEST, image.manifest());
            assertThat(r.get("/v2/" + REPO + "/manifests/v1").body()).isEqualTo(utf8(image.manifest()));
        }
    }

    @Test
    void tagDelete_is202AndRemovesOnlyTheTag() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            TestRegistry.Image image = r.pushImage(REPO, "v1");
            r.pushManifest(REPO, "stable", Manifests.OCI_MANIFEST, image.manifest());
            assertThat(r.delete("/v2/" + REPO + "/manifests/v1").statusCode()).isEqualTo(202);
            assertError(r.get("/v2/" + REPO + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
            assertThat(r.get("/v2/" + REPO + "/manifests/stable").statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/" + REPO + "/manifests/" + image.digest()).statusCode()).isEqualTo(200);
            var tags = TestRegistry.json(r.get("/v2/" + REPO + "/tags/list"));
            assertThat(tags.get("tags").toString()).isEqualTo("[\"stable\"]");
        }
    }

    @Test
    void deleteOfAnUnknownManifestOrTag_is404ManifestUnknown() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            r.pushImage(REPO, "v1");
            assertError(r.delete("/v2/" + REPO + "/manifests/" + sha256(utf8("none"))), 404, "MANIFEST_UNKNOWN");
            assertError(r.delete("/v2/" + REPO + "/manifests/nosuchtag"), 404, "MANIFEST_UNKNOWN");
        }
    }

    @Test
    void blobDelete_is202ThenUnknown() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            Digest d = r.pushBlob(REPO, utf8("to be deleted"));
            Digest kept = r.pushBlob(REPO, utf8("kept"));
            String path = "/v2/" + REPO + "/blobs/" + d;
            var res = r.delete(path);
            assertThat(res.statusCode()).isEqualTo(202);
            assertError(r.get(path), 404, "BLOB_UNKNOWN");
            assertHeadError(r.head(path), 404);
            assertError(r.delete(path), 404, "BLOB_UNKNOWN");
            assertThat(r.get("/v2/" + REPO + "/blobs/" + kept).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void blobDeletedFromOneRepository_staysInAnother() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            byte[] content = utf8("shared");
            Digest d = r.pushBlob(REPO, content);
            r.pushBlob("other/repo", content);
            assertThat(r.delete("/v2/" + REPO + "/blobs/" + d).statusCode()).isEqualTo(202);
            assertThat(r.get("/v2/other/repo/blobs/" + d).body()).isEqualTo(content);
        }
    }

    @Test
    void deletesWhenDisabled_are405UnsupportedAndChangeNothing() throws Exception {
        try (TestRegistry r = TestRegistry.start(root,
                c -> TestRegistry.withStorage(c, s -> storage(s, false, false)))) {
            TestRegistry.Image image = r.pushImage(REPO, "v1");
            assertError(r.delete("/v2/" + REPO + "/manifests/" + image.digest()), 405, "UNSUPPORTED");
            assertError(r.delete("/v2/" + REPO + "/manifests/v1"), 405, "UNSUPPORTED");
            assertError(r.delete("/v2/" + REPO + "/blobs/" + image.layer()), 405, "UNSUPPORTED");
            assertThat(r.get("/v2/" + REPO + "/manifests/v1").statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/" + REPO + "/blobs/" + image.layer()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readOnlyMode_refusesWritesWith405AndServesReads() throws Exception {
        TestRegistry.Image image;
        String upload;
        try (TestRegistry r = TestRegistry.start(root)) {
            image = r.pushImage(REPO, "v1");
            upload = r.startUpload(REPO);
        }
        try (TestRegistry r = TestRegistry.start(root,
                c -> TestRegistry.withStorage(c, s -> storage(s, true, true)))) {
            String uploadPath = upload.replaceFirst("^http://[^/]+", "");
            byte[] blob = utf8("new");
            assertError(r.post("/v2/" + REPO + "/blobs/uploads/", null), 405, "UNSUPPORTED");
            assertError(r.post("/v2/" + REPO + "/blobs/uploads/?digest=" + sha256(blob), blob), 405, "UNSUPPORTED");
            assertError(r.post("/v2/new/repo/blobs/uploads/?mount=" + image.layer() + "&from=" + REPO, null),
                    405, "UNSUPPORTED");
            assertError(r.patch(uploadPath, blob), 405, "UNSUPPORTED");
            assertError(r.put(uploadPath + "?digest=" + sha256(blob), blob), 405, "UNSUPPORTED");
            assertError(r.delete(uploadPath), 405, "UNSUPPORTED");
            assertError(r.put("/v2/" + REPO + "/manifests/v2", utf8(image.manifest()),
                    "Content-Type", Manifests.OCI_MANIFEST), 405, "UNSUPPORTED");
            assertError(r.delete("/v2/" + REPO + "/manifests/v1"), 405, "UNSUPPORTED");
            assertError(r.delete("/v2/" + REPO + "/blobs/" + image.layer()), 405, "UNSUPPORTED");

            assertThat(r.get("/v2/" + REPO + "/manifests/v1").body()).isEqualTo(utf8(image.manifest()));
            assertThat(r.head("/v2/" + REPO + "/blobs/" + image.layer()).statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/" + REPO + "/tags/list").statusCode()).isEqualTo(200);
            assertThat(TestRegistry.text(r.get("/v2/_catalog"))).contains(REPO);
            assertThat(r.get("/v2/" + REPO + "/referrers/" + image.digest()).statusCode()).isEqualTo(200);
            assertError(r.get("/v2/" + REPO + "/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        }
    }
}
