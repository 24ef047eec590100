package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.Manifests.OCI_EMPTY;
import static io.wharf.http.Manifests.OCI_INDEX;
import static io.wharf.http.Manifests.OCI_LAYER;
import static io.wharf.http.Manifests.OCI_MANIFEST;
import static io.wharf.http.Manifests.descriptor;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.spec.Digest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** end-12: {@code GET /v2/<name>/referrers/<digest>} and the {@code subject} field that feeds it. */
class ReferrersTest extends RunningRegistryTest {
    static final String REPO = "ref/repo";
    static final String SIG = "application/vnd.example.signature.v1";
    static final String SBOM = "application/vnd.example.sbom.v1";
    TestRegistry.Image subject;
    String emptyConfig;
    String layer;

    @BeforeEach
    void pushSubjectAndBlobs() throws Exception {
        subject = r.pushImage(REPO, "v1");
        emptyConfig = descriptor(OCI_EMPTY, r.pushBlob(REPO, utf8("{}")), 2);
        byte[] l = utf8("signature payload");
        layer = descriptor(OCI_LAYER, r.pushBlob(REPO, l), l.length);
    }

    private String subjectDescriptor() {
        return descriptor(OCI_MANIFEST, subject.digest(), subject.size());
    }

    private Digest pushReferrer(String manifest) throws Exception {
        Digest d = sha256(utf8(manifest));
        var res = r.put("/v2/" + REPO + "/manifests/" + d, utf8(manifest), "Content-Type", OCI_MANIFEST);
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(201);
        return d;
    }

    /** The referrers answer as descriptors by digest, after checking it is an image index. */
    private static Map<String, JsonNode> index(HttpResponse<byte[]> res) {
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).contains(OCI_INDEX);
        JsonNode body = TestRegistry.json(res);
        assertThat(body.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(body.get("mediaType").asText()).isEqualTo(OCI_INDEX);
        assertThat(body.get("manifests").isArray()).isTrue();
        Map<String, JsonNode> out = new HashMap<>();
        body.get("manifests").forEach(m -> out.put(m.get("digest").asText(), m));
        return out;
    }

    @Test
    void unknownDigest_isAnEmptyIndex() throws Exception {
        var res = r.get("/v2/" + REPO + "/referrers/" + sha256(utf8("nothing refers to me")));
        assertThat(index(res)).isEmpty();
        assertThat(res.headers().firstValue("Content-Type")).contains("application/vnd.oci.image.index.v1+json");
    }

    @Test
    void referrers_areListedWithTypeSizeArtifactTypeAndAnnotations() throws Exception {
        String sig = Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(),
                "{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\",\"k\":\"v\"}");
        String sig2 = Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(), null);
        String sbom = Manifests.artifact(SBOM, emptyConfig, layer, subjectDescriptor(), null);
        byte[] cfg = utf8("{\"custom\":true}");
        String configTyped = Manifests.artifact(null,
                descriptor("application/vnd.example.config.v1+json", r.pushBlob(REPO, cfg), cfg.length), layer,
                subjectDescriptor(), null);
        Digest dSig = pushReferrer(sig);
        Digest dSig2 = pushReferrer(sig2);
        Digest dSbom = pushReferrer(sbom);
        Digest dCfg = pushReferrer(configTyped);
        String idx = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"artifactType\":\"application/vnd.example.bundle\","
                + "\"manifests\":[" + descriptor(OCI_MANIFEST, dSbom, utf8(sbom).length) + "],\"subject\":"
                + subjectDescriptor() + ",\"annotations\":{\"bundle\":\"yes\"}}";
        Digest dIdx = sha256(utf8(idx));
        var put = r.put("/v2/" + REPO + "/manifests/" + dIdx, utf8(idx), "Content-Type", OCI_INDEX);
        assertThat(put.statusCode()).as(TestRegistry.text(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).contains(subject.digest().toString());

        var res = r.get("/v2/" + REPO + "/referrers/" + subject.digest());
        Map<String, JsonNode> found = index(res);
        assertThat(found).containsOnlyKeys(dSig.toString(), dSig2.toString(), dSbom.toString(), dCfg.toString(),
                dIdx.toString());
        assertThat(res.headers().firstValue("OCI-Filters-Applied")).isEmpty();

        JsonNode s = found.get(dSig.toString());
        assertThat(s.get("mediaType").asText()).isEqualTo(OCI_MANIFEST);
        assertThat(s.get("size").asLong()).isEqualTo(utf8(sig).length);
        assertThat(s.get("artifactType").asText()).isEqualTo(SIG);
        assertThat(s.get("annotations").get("org.opencontainers.image.created").asText())
                .isEqualTo("2024-01-01T00:00:00Z");
        assertThat(s.get("annotations").get("k").asText()).isEqualTo("v");
        assertThat(found.get(dSig2.toString()).has("annotations")).isFalse();
        assertThat(found.get(dCfg.toString()).get("artifactType").asText())
                .isEqualTo("application/vnd.example.config.v1+json");
        JsonNode i = found.get(dIdx.toString());
        assertThat(i.get("mediaType").asText()).isEqualTo(OCI_INDEX);
        assertThat(i.get("size").asLong()).isEqualTo(utf8(idx).length);
        assertThat(i.get("artifactType").asText()).isEqualTo("application/vnd.example.bundle");
        assertThat(i.get("annotations").get("bundle").asText()).isEqualTo("yes");
    }

    @Test
    void artifactTypeFilter_keepsMatchesAndSaysItWasApplied() throws Exception {
        Digest dSig = pushReferrer(Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(), null));
        pushReferrer(Manifests.artifact(SBOM, emptyConfig, layer, subjectDescriptor(), null));
        var res = r.get("/v2/" + REPO + "/referrers/" + subject.digest() + "?artifactType=" + SIG);
        assertThat(index(res)).containsOnlyKeys(dSig.toString());
        assertThat(res.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        var none = r.get("/v2/" + REPO + "/referrers/" + subject.digest() + "?artifactType=application/none");
        assertThat(index(none)).isEmpty();
        assertThat(none.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    }

    @Test
    void referrerOfANeverPushedSubject_isListed() throws Exception {
        Digest ghost = sha256(utf8("never pushed"));
        String m = Manifests.artifact(SIG, emptyConfig, layer, descriptor(OCI_MANIFEST, ghost, 42), null);
        Digest d = sha256(utf8(m));
        var put = r.put("/v2/" + REPO + "/manifests/" + d, utf8(m), "Content-Type", OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).contains(ghost.toString());
        assertThat(index(r.get("/v2/" + REPO + "/referrers/" + ghost))).containsOnlyKeys(d.toString());
        assertError(r.get("/v2/" + REPO + "/manifests/" + ghost), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletedReferrer_disappears() throws Exception {
        Digest gone = pushReferrer(Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(), null));
        Digest kept = pushReferrer(Manifests.artifact(SBOM, emptyConfig, layer, subjectDescriptor(), null));
        assertThat(r.delete("/v2/" + REPO + "/manifests/" + gone).statusCode()).isEqualTo(202);
        assertThat(index(r.get("/v2/" + REPO + "/referrers/" + subject.digest()))).containsOnlyKeys(kept.toString());
    }

    @Test
    void referrersOfAnotherRepository_areNotListed() throws Exception {
        pushReferrer(Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(), null));
        r.pushImage("other/repo", "v1");
        assertThat(index(r.get("/v2/other/repo/referrers/" + subject.digest()))).isEmpty();
    }

    @Test
    void malformedDigest_is400DigestInvalid() throws Exception {
        assertError(r.get("/v2/" + REPO + "/referrers/sha256:nope"), 400, "DIGEST_INVALID");
        assertError(r.get("/v2/" + REPO + "/referrers/v1"), 400, "DIGEST_INVALID");
    }

    @Test
    void artifactTypeFilter_matchesTheConfigTypeFallbackAndEncodedPlus() throws Exception {
        byte[] cfg = utf8("{\"custom\":1}");
        String type = "application/vnd.example.config.v1+json";
        Digest d = pushReferrer(Manifests.artifact(null, descriptor(type, r.pushBlob(REPO, cfg), cfg.length), layer,
                subjectDescriptor(), null));
        pushReferrer(Manifests.artifact(SIG, emptyConfig, layer, subjectDescriptor(), null));
        var res = r.get("/v2/" + REPO + "/referrers/" + subject.digest()
                + "?artifactType=application%2Fvnd.example.config.v1%2Bjson");
        assertThat(index(res)).containsOnlyKeys(d.toString());
    }
}
