package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Content an old Distribution left in a data directory: Docker schema1 manifests are refused on push but
 * still served as they are.
 */
class LegacyContentTest extends RunningRegistryTest {
    private static final String SIGNED_SCHEMA1 = """
            {
               "schemaVersion": 1,
               "name": "legacy/app",
               "tag": "old",
               "architecture": "amd64",
               "fsLayers": [
                  {
                     "blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
                  }
               ],
               "history": [
                  {
                     "v1Compatibility": "{\\"id\\":\\"e45a5af57b00862e5ef5782a9925979a02ba2b12dff832fd0991335f4a11e5c5\\"}"
                  }
               ],
               "signatures": [
                  {
                     "header": {"alg": "ES256"},
                     "signature": "c2lnbmF0dXJl",
                     "protected": "eyJmb3JtYXRMZW5ndGgiOjIxNzcsImZvcm1hdFRhaWwiOiJDbjAifQ"
                  }
               ]
            }""";

    @Test
    void schema1ManifestWrittenByDistribution_isServedByTagAndDigest_asStored() throws Exception {
        byte[] payload = SIGNED_SCHEMA1.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.compute(Digest.Algorithm.SHA256, payload);
        storeAsDistributionDid("legacy/app", "old", digest, payload);

        for (String reference : new String[] {"old", digest.toString()}) {
            var res = r.get("/v2/legacy/app/manifests/" + reference);
            assertThat(res.statusCode()).as(reference).isEqualTo(200);
            assertThat(res.body()).isEqualTo(payload);
            assertThat(res.headers().firstValue("Content-Type"))
                    .contains("application/vnd.docker.distribution.manifest.v1+prettyjws");
            assertThat(res.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
        }
    }

    @Test
    void schema1Manifest_isNotOfferedToAClientThatListsOnlyNewerTypes() throws Exception {
        byte[] payload = SIGNED_SCHEMA1.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.compute(Digest.Algorithm.SHA256, payload);
        storeAsDistributionDid("legacy/app", "old", digest, payload);

        assertError(r.get("/v2/legacy/app/manifests/old", "Accept",
                "application/vnd.docker.distribution.manifest.v2+json"), 404, "MANIFEST_UNKNOWN");
    }

    /** The files Distribution 2.x writes for a manifest pushed by tag. */
    private void storeAsDistributionDid(String repo, String tag, Digest digest, byte[] payload) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(setup.driver() == Setup.Driver.FILESYSTEM,
                "content left by Distribution is a data directory: filesystem storage only");
        Path v2 = root.resolve("docker/registry/v2");
        write(v2.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data"), payload);
        byte[] link = digest.toString().getBytes(StandardCharsets.UTF_8);
        Path manifests = v2.resolve("repositories/" + repo + "/_manifests");
        write(manifests.resolve("revisions/sha256/" + digest.hex() + "/link"), link);
        write(manifests.resolve("tags/" + tag + "/current/link"), link);
        write(manifests.resolve("tags/" + tag + "/index/sha256/" + digest.hex() + "/link"), link);
    }

    private static void write(Path file, byte[] content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
