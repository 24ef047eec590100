package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.ErrorAssertions.assertHeadError;
import static io.wharf.http.Manifests.DOCKER_CONFIG;
import static io.wharf.http.Manifests.DOCKER_LAYER;
import static io.wharf.http.Manifests.DOCKER_LIST;
import static io.wharf.http.Manifests.DOCKER_MANIFEST;
import static io.wharf.http.Manifests.OCI_CONFIG;
import static io.wharf.http.Manifests.OCI_EMPTY;
import static io.wharf.http.Manifests.OCI_INDEX;
import static io.wharf.http.Manifests.OCI_LAYER;
import static io.wharf.http.Manifests.OCI_MANIFEST;
import static io.wharf.http.Manifests.descriptor;
import static io.wharf.http.Manifests.platformDescriptor;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import java.util.List;
import io.wharf.spec.Digest;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** end-3 (pull) and end-7 (push) of manifests, for every manifest format Wharf stores. */
class ManifestTest extends RunningRegistryTest {
    static final String REPO = "lib/image";
    String config;
    String layer;

    @BeforeEach
    void pushConfigAndLayer() throws Exception {
        byte[] c = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] l = utf8("a layer");
        config = descriptor(OCI_CONFIG, r.pushBlob(REPO, c), c.length);
        layer = descriptor(OCI_LAYER, r.pushBlob(REPO, l), l.length);
    }

    private HttpResponse<byte[]> put(String reference, String contentType, String payload) throws Exception {
        return r.put("/v2/" + REPO + "/manifests/" + reference, utf8(payload), "Content-Type", contentType);
    }

    private void assertServedAs(String reference, String payload, String mediaType) throws Exception {
        var get = r.get("/v2/" + REPO + "/manifests/" + reference);
        assertThat(get.statusCode()).as(TestRegistry.text(get)).isEqualTo(200);
        assertThat(get.body()).isEqualTo(utf8(payload));
        assertThat(get.headers().firstValue("Content-Type")).contains(mediaType);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(sha256(utf8(payload)).toString());
    }

    @Test
    void ociManifestPushedByTag_is201AndServedByTagAndDigest() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        Digest d = sha256(utf8(m));
        var res = put("v1", OCI_MANIFEST, m);
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        assertThat(URI.create(res.headers().firstValue("Location").orElseThrow()).getPath())
                .isEqualTo("/v2/" + REPO + "/manifests/" + d);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertServedAs("v1", m, OCI_MANIFEST);
        assertServedAs(d.toString(), m, OCI_MANIFEST);
    }

    @Test
    void head_hasTypeDigestAndLengthButNoBody() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        Digest d = r.pushManifest(REPO, "v1", OCI_MANIFEST, m);
        for (String ref : new String[] {"v1", d.toString()}) {
            var head = r.head("/v2/" + REPO + "/manifests/" + ref);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(utf8(m).length);
        }
    }

    @Test
    void pushToAnExistingTag_movesTheTag() throws Exception {
        r.pushManifest(REPO, "latest", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        String second = Manifests.ociManifest(config);
        r.pushManifest(REPO, "latest", OCI_MANIFEST, second);
        assertServedAs("latest", second, OCI_MANIFEST);
    }

    @Test
    void multiPlatformOciIndex_isAcceptedWhenItsChildrenExist() throws Exception {
        String amd = Manifests.ociManifest(config, layer);
        String arm = Manifests.ociManifest(config);
        Digest a = r.pushManifest(REPO, sha256(utf8(amd)).toString(), OCI_MANIFEST, amd);
        Digest b = r.pushManifest(REPO, sha256(utf8(arm)).toString(), OCI_MANIFEST, arm);
        String index = Manifests.ociIndex(platformDescriptor(OCI_MANIFEST, a, utf8(amd).length, "amd64"),
                platformDescriptor(OCI_MANIFEST, b, utf8(arm).length, "arm64"));
        assertThat(put("multi", OCI_INDEX, index).statusCode()).isEqualTo(201);
        assertServedAs("multi", index, OCI_INDEX);
    }

    @Test
    void indexWithAMissingChild_is400ManifestBlobUnknown() throws Exception {
        String amd = Manifests.ociManifest(config, layer);
        Digest a = r.pushManifest(REPO, sha256(utf8(amd)).toString(), OCI_MANIFEST, amd);
        Digest missing = sha256(utf8("never pushed"));
        String index = Manifests.ociIndex(platformDescriptor(OCI_MANIFEST, a, utf8(amd).length, "amd64"),
                platformDescriptor(OCI_MANIFEST, missing, 12, "arm64"));
        assertError(put("multi", OCI_INDEX, index), 400, "MANIFEST_BLOB_UNKNOWN");
        assertError(r.get("/v2/" + REPO + "/manifests/multi"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void indexChildMustBeAManifestNotABlob() throws Exception {
        String index = Manifests.ociIndex(layer.replace(OCI_LAYER, OCI_MANIFEST));
        assertError(put("multi", OCI_INDEX, index), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void dockerSchema2ManifestAndManifestList_areAccepted() throws Exception {
        byte[] c = utf8("{\"docker\":\"config\"}");
        byte[] l = utf8("docker layer");
        String m = Manifests.dockerManifest(descriptor(DOCKER_CONFIG, r.pushBlob(REPO, c), c.length),
                descriptor(DOCKER_LAYER, r.pushBlob(REPO, l), l.length));
        Digest d = r.pushManifest(REPO, "docker", DOCKER_MANIFEST, m);
        assertServedAs("docker", m, DOCKER_MANIFEST);
        String list = Manifests.dockerList(platformDescriptor(DOCKER_MANIFEST, d, utf8(m).length, "amd64"));
        assertThat(put("dockerlist", DOCKER_LIST, list).statusCode()).isEqualTo(201);
        assertServedAs("dockerlist", list, DOCKER_LIST);
    }

    @Test
    void dockerForeignLayer_isRefusedWithoutAllowedUrls_likeDistribution() throws Exception {
        assertError(put("windows", DOCKER_MANIFEST, windowsManifest(r, "https://example.com/layer")), 400,
                "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void dockerForeignLayerWithAllowedUrls_needsNoBlob_butDeniedUrlsAreRefused() throws Exception {
        r.close();
        r = TestRegistry.start(root, c -> c.withValidation(new RegistryConfig.Validation(false,
                List.of("^https://example\\.com/"), List.of("/forbidden/"))));

        assertThat(put("windows", DOCKER_MANIFEST, windowsManifest(r, "https://example.com/layer")).statusCode())
                .isEqualTo(201);
        assertError(put("w2", DOCKER_MANIFEST, windowsManifest(r, "https://example.com/forbidden/layer")), 400,
                "MANIFEST_BLOB_UNKNOWN");
        assertError(put("w3", DOCKER_MANIFEST, windowsManifest(r, "https://elsewhere.org/layer")), 400,
                "MANIFEST_BLOB_UNKNOWN");
    }

    private static String windowsManifest(TestRegistry registry, String url) throws Exception {
        byte[] c = utf8("{\"os\":\"windows\"}");
        String foreign = "{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\""
                + sha256(utf8("base layer")) + "\",\"size\":10,\"urls\":[\"" + url + "\"]}";
        return Manifests.dockerManifest(descriptor(DOCKER_CONFIG, registry.pushBlob(REPO, c), c.length), foreign);
    }

    @Test
    void ociArtifactWithArtifactTypeAndTheEmptyConfig_isAccepted() throws Exception {
        Digest empty = r.pushBlob(REPO, utf8(Manifests.EMPTY_JSON));
        assertThat(empty.toString())
                .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        String m = Manifests.artifact("application/vnd.example.sbom.v1", descriptor(OCI_EMPTY, empty, 2),
                layer, null, "{\"org.example\":\"yes\"}");
        assertThat(put("sbom", OCI_MANIFEST, m).statusCode()).isEqualTo(201);
        assertServedAs("sbom", m, OCI_MANIFEST);
    }

    @Test
    void emptyLayersArray_isAccepted() throws Exception {
        String m = Manifests.ociManifest(config);
        assertThat(m).contains("\"layers\":[]");
        assertThat(put("nolayers", OCI_MANIFEST, m).statusCode()).isEqualTo(201);
        assertServedAs("nolayers", m, OCI_MANIFEST);
    }

    @Test
    void manifestWithoutMediaTypeField_takesTheContentType() throws Exception {
        String amd = Manifests.ociManifest(config, layer);
        Digest a = r.pushManifest(REPO, "child", OCI_MANIFEST, amd);
        String index = "{\"schemaVersion\":2,\"manifests\":[" + descriptor(OCI_MANIFEST, a, utf8(amd).length) + "]}";
        assertThat(put("untyped-index", OCI_INDEX, index).statusCode()).isEqualTo(201);
        assertServedAs("untyped-index", index, OCI_INDEX);
        String manifest = "{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":[" + layer + "]}";
        assertThat(put("untyped", OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
        assertServedAs("untyped", manifest, OCI_MANIFEST);
    }

    @Test
    void mediaTypeFieldContradictingContentType_is400ManifestInvalid() throws Exception {
        assertError(put("v1", DOCKER_MANIFEST, Manifests.ociManifest(config, layer)), 400, "MANIFEST_INVALID");
        assertError(r.get("/v2/" + REPO + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void dockerSchema1_is400ManifestInvalid() throws Exception {
        String schema1 = "{\"schemaVersion\":1,\"name\":\"" + REPO + "\",\"tag\":\"old\",\"architecture\":\"amd64\","
                + "\"fsLayers\":[{\"blobSum\":\"" + sha256(utf8("x")) + "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}],"
                + "\"signatures\":[]}";
        assertError(put("old", Manifests.SCHEMA1_SIGNED, schema1), 400, "MANIFEST_INVALID");
        assertError(put("old", "application/json", schema1), 400, "MANIFEST_INVALID");
    }

    @Test
    void malformedManifest_is400ManifestInvalid() throws Exception {
        assertError(put("bad", OCI_MANIFEST, "{not json"), 400, "MANIFEST_INVALID");
        assertError(put("bad", OCI_MANIFEST, "[]"), 400, "MANIFEST_INVALID");
        assertError(put("bad", OCI_MANIFEST, "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"}"),
                400, "MANIFEST_INVALID");
        assertError(put("bad", OCI_MANIFEST, Manifests.ociManifest(config.replace("\"size\":", "\"size\":-"))),
                400, "MANIFEST_INVALID");
    }

    @Test
    void unknownFieldsNullsAndLayout_arePreservedByteForByte() throws Exception {
        String m = "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + OCI_MANIFEST + "\",\n  \"config\": " + config
                + ",\n  \"layers\": [ " + layer + " ],\n  \"annotations\": null,\n  \"x-vendor\": {\"nested\": null,"
                + " \"n\": 1.50, \"u\": \"\\u00e9\"}\n}\n";
        Digest d = r.pushManifest(REPO, "odd", OCI_MANIFEST, m);
        assertServedAs("odd", m, OCI_MANIFEST);
        assertServedAs(d.toString(), m, OCI_MANIFEST);
    }

    @Test
    void pushByDigest_isStoredUnderThatDigest() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        Digest d = sha256(utf8(m));
        var res = put(d.toString(), OCI_MANIFEST, m);
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertServedAs(d.toString(), m, OCI_MANIFEST);
    }

    @Test
    void pushBySha512Digest_isStoredUnderThatDigest() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        Digest d = Digest.compute(Digest.Algorithm.SHA512, utf8(m));
        var res = put(d.toString(), OCI_MANIFEST, m);
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        var get = r.get("/v2/" + REPO + "/manifests/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(utf8(m));
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
    }

    @Test
    void pushByAMismatchedDigest_is400DigestInvalid() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        Digest other = sha256(utf8("other"));
        assertError(put(other.toString(), OCI_MANIFEST, m), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/" + REPO + "/manifests/" + other), 404, "MANIFEST_UNKNOWN");
        assertError(r.get("/v2/" + REPO + "/manifests/" + sha256(utf8(m))), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void manifestReferencingAMissingBlob_is400ManifestBlobUnknown() throws Exception {
        String missing = descriptor(OCI_LAYER, sha256(utf8("not uploaded")), 12);
        assertError(put("v1", OCI_MANIFEST, Manifests.ociManifest(config, layer, missing)), 400,
                "MANIFEST_BLOB_UNKNOWN");
        assertError(put("v1", OCI_MANIFEST, Manifests.ociManifest(missing.replace(OCI_LAYER, OCI_CONFIG), layer)),
                400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void manifestReferencingABlobOfAnotherRepository_is400ManifestBlobUnknown() throws Exception {
        byte[] l = utf8("elsewhere");
        String foreign = descriptor(OCI_LAYER, r.pushBlob("other/repo", l), l.length);
        assertError(put("v1", OCI_MANIFEST, Manifests.ociManifest(config, foreign)), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void manifestOver4MiB_isManifestInvalidNamingTheLimit() throws Exception {
        String m = Manifests.artifact(null, config, layer, null,
                "{\"big\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}");
        var res = put("huge", OCI_MANIFEST, m);
        assertError(res, 400, "MANIFEST_INVALID");
        assertThat(TestRegistry.text(res)).contains("4194304");
        assertError(r.get("/v2/" + REPO + "/manifests/huge"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void manifestJustUnder4MiB_isAccepted() throws Exception {
        String prefix = Manifests.artifact(null, config, layer, null, "{\"big\":\"");
        int pad = 4 * 1024 * 1024 - utf8(prefix).length - 2;
        String m = prefix.substring(0, prefix.length() - 1) + "x".repeat(pad) + "\"}}";
        assertThat(utf8(m).length).isEqualTo(4 * 1024 * 1024);
        assertThat(put("big", OCI_MANIFEST, m).statusCode()).isEqualTo(201);
    }

    @Test
    void acceptListingOnlyOtherManifestTypes_is404ManifestUnknown() throws Exception {
        r.pushManifest(REPO, "v1", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        var res = r.get("/v2/" + REPO + "/manifests/v1", "Accept", DOCKER_MANIFEST + ", " + DOCKER_LIST);
        assertError(res, 404, "MANIFEST_UNKNOWN");
        assertHeadError(r.head("/v2/" + REPO + "/manifests/v1", "Accept", DOCKER_MANIFEST), 404);
    }

    @Test
    void acceptIncludingTheTypeWildcardOrNone_is200() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        r.pushManifest(REPO, "v1", OCI_MANIFEST, m);
        String path = "/v2/" + REPO + "/manifests/v1";
        assertThat(r.get(path).statusCode()).isEqualTo(200);
        assertThat(r.get(path, "Accept", "*/*").statusCode()).isEqualTo(200);
        assertThat(r.get(path, "Accept", DOCKER_MANIFEST + ";q=0.9, " + OCI_MANIFEST + ";q=0.5").statusCode())
                .isEqualTo(200);
        var multi = r.send(r.request(path).header("Accept", DOCKER_MANIFEST).header("Accept", OCI_MANIFEST).GET()
                .build());
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
    }

    @Test
    void invalidTagOnGetOrHead_is404() throws Exception {
        assertError(r.get("/v2/" + REPO + "/manifests/-notatag"), 404, "MANIFEST_UNKNOWN");
        assertHeadError(r.head("/v2/" + REPO + "/manifests/-notatag"), 404);
        assertError(r.get("/v2/" + REPO + "/manifests/" + "t".repeat(129)), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void invalidTagOnPut_isRefused() throws Exception {
        var res = put("-notatag", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        assertThat(ErrorAssertions.assertClientError(res)).isIn("MANIFEST_INVALID", "TAG_INVALID");
    }

    @Test
    void malformedDigestReference_is400DigestInvalid() throws Exception {
        assertError(r.get("/v2/" + REPO + "/manifests/sha256:totallywrong"), 400, "DIGEST_INVALID");
        assertHeadError(r.head("/v2/" + REPO + "/manifests/sha256:totallywrong"), 400);
        assertError(put("sha256:totallywrong", OCI_MANIFEST, Manifests.ociManifest(config)), 400, "DIGEST_INVALID");
    }

    @Test
    void unknownTagOrDigest_is404ManifestUnknown() throws Exception {
        r.pushManifest(REPO, "v1", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        assertError(r.get("/v2/" + REPO + "/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertError(r.get("/v2/" + REPO + "/manifests/" + sha256(utf8("nothing"))), 404, "MANIFEST_UNKNOWN");
        assertHeadError(r.head("/v2/" + REPO + "/manifests/v2"), 404);
    }

    @Test
    void manifestOfAnotherRepository_isNotVisible() throws Exception {
        Digest d = r.pushManifest(REPO, "v1", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        r.pushImage("other/repo", "v0");
        assertThat(ErrorAssertions.assertClientError(r.get("/v2/other/repo/manifests/" + d))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(ErrorAssertions.assertClientError(r.get("/v2/other/repo/manifests/v1"))).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void subject_isEchoedInOciSubjectEvenWhenTheSubjectWasNeverPushed() throws Exception {
        Digest absent = sha256(utf8("subject never pushed"));
        Digest empty = r.pushBlob(REPO, utf8("{}"));
        String m = Manifests.artifact("application/vnd.example.sig", descriptor(OCI_EMPTY, empty, 2), layer,
                descriptor(OCI_MANIFEST, absent, 123), null);
        var res = put(sha256(utf8(m)).toString(), OCI_MANIFEST, m);
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        assertThat(res.headers().firstValue("OCI-Subject")).contains(absent.toString());
    }

    @Test
    void manifestWithoutSubject_hasNoOciSubjectHeader() throws Exception {
        var res = put("v1", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        assertThat(res.headers().firstValue("OCI-Subject")).isEmpty();
    }

    @Test
    void contentTypeWithParameters_isTheManifestType() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        assertThat(put("v1", OCI_MANIFEST + "; charset=utf-8", m).statusCode()).isEqualTo(201);
        assertServedAs("v1", m, OCI_MANIFEST);
    }

    @Test
    void noContentType_takesTheMediaTypeField() throws Exception {
        String m = Manifests.ociManifest(config, layer);
        var res = r.send(r.request("/v2/" + REPO + "/manifests/v1")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(m)).build());
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        assertServedAs("v1", m, OCI_MANIFEST);
    }

    @Test
    void emptyManifestBody_is400ManifestInvalid() throws Exception {
        assertError(put("v1", OCI_MANIFEST, ""), 400, "MANIFEST_INVALID");
    }

    @Test
    void malformedSubject_is400ManifestInvalid() throws Exception {
        String m = Manifests.artifact("application/vnd.example", config, layer, "{\"digest\":\"nope\"}", null);
        assertError(put("v1", OCI_MANIFEST, m), 400, "MANIFEST_INVALID");
    }

    @Test
    void manifestOver4MiBWithoutContentLength_isManifestInvalid() throws Exception {
        byte[] m = utf8(Manifests.artifact(null, config, layer, null,
                "{\"big\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}"));
        var res = r.send(r.request("/v2/" + REPO + "/manifests/huge").header("Content-Type", OCI_MANIFEST)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(m)))
                .build());
        assertError(res, 400, "MANIFEST_INVALID");
    }

    @Test
    void manifestInUtf16OrWithAByteOrderMark_isManifestInvalid_andNothingIsStored() throws Exception {
        String m = Manifests.artifact(null, config, layer, null, null);
        byte[] utf16 = m.getBytes(java.nio.charset.StandardCharsets.UTF_16);
        byte[] utf16le = m.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] bom = new byte[utf8(m).length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8(m), 0, bom, 3, bom.length - 3);
        for (byte[] payload : java.util.List.of(utf16, utf16le, bom)) {
            var res = r.put("/v2/" + REPO + "/manifests/wide", payload, "Content-Type", OCI_MANIFEST);
            assertError(res, 400, "MANIFEST_INVALID");
            // Without a Content-Type too: the media type then comes from the body, which must still be UTF-8.
            assertError(r.put("/v2/" + REPO + "/manifests/wide", payload), 400, "MANIFEST_INVALID");
        }
        assertError(r.get("/v2/" + REPO + "/manifests/wide"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void matchingETag_is304() throws Exception {
        Digest d = r.pushManifest(REPO, "v1", OCI_MANIFEST, Manifests.ociManifest(config, layer));
        var get = r.get("/v2/" + REPO + "/manifests/v1");
        assertThat(get.headers().firstValue("ETag")).contains("\"" + d + "\"");
        var res = r.get("/v2/" + REPO + "/manifests/v1", "If-None-Match", "\"" + d + "\"");
        assertThat(res.statusCode()).isEqualTo(304);
        assertThat(res.body()).isEmpty();
        assertThat(r.get("/v2/" + REPO + "/manifests/v1", "If-None-Match", "\"sha256:" + "0".repeat(64) + "\"")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void repositoryNamesContainingRouteWords_work() throws Exception {
        for (String repo : new String[] {"x/manifests", "x/blobs/uploads", "tags/list", "y/referrers"}) {
            TestRegistry.Image image = r.pushImage(repo, "v1");
            var get = r.get("/v2/" + repo + "/manifests/v1");
            assertThat(get.statusCode()).as(repo).isEqualTo(200);
            assertThat(get.body()).isEqualTo(utf8(image.manifest()));
            assertThat(r.get("/v2/" + repo + "/blobs/" + image.layer()).statusCode()).as(repo).isEqualTo(200);
            assertThat(TestRegistry.json(r.get("/v2/" + repo + "/tags/list")).get("name").asText()).isEqualTo(repo);
        }
    }
}
