package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo, a real containers/image client, pushes to and pulls from an in-process Wharf. */
@Tag("e2e")
class SkopeoRoundTripTest {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    Path tmp;

    ClientConfig clients;
    TestImage image;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.SKOPEO.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 42);
    }

    @Test
    void multiPlatformImage_pushedAndPulledByTagAndDigest_isByteIdentical() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            String pushed = Skopeo.pushAll(clients, image, ep.docker("team/app", "v1"), tmp.resolve("pushed.digest"));
            assertThat(pushed).isEqualTo(image.indexDigest());

            OciLayout byTag = Skopeo.pullAll(clients, ep.docker("team/app", "v1"), tmp.resolve("by-tag"), "v1");
            Skopeo.assertSameImage(image.layout(), "v1", byTag, "v1");

            OciLayout byDigest = Skopeo.pullAll(clients, ep.docker("team/app", image.indexDigest()),
                    tmp.resolve("by-digest"), "pulled");
            Skopeo.assertSameImage(image.layout(), "v1", byDigest, "pulled");
        }
    }

    @Test
    void secondRepository_sharingBlobs_isByteIdentical() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Skopeo.pushAll(clients, image, ep.docker("team/app", "v1"), tmp.resolve("pushed.digest"));
            // skopeo's blob cache now knows the blobs are in team/app, so it tries cross-repository mounts.
            Skopeo.pushAll(clients, image, ep.docker("other/mirror", "v1"), tmp.resolve("mirror.digest"));
            OciLayout mirror = Skopeo.pullAll(clients, ep.docker("other/mirror", "v1"), tmp.resolve("mirror"), "v1");
            Skopeo.assertSameImage(image.layout(), "v1", mirror, "v1");
            String manifest = image.platform("arm64").manifestDigest();
            Path copied = tmp.resolve("copied");
            clients.skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                    ep.docker("other/mirror", manifest), ep.docker("third/copy", "arm")).check();
            OciLayout third = Skopeo.pullAll(clients, ep.docker("third/copy", "arm"), copied, "arm");
            assertThat(third.resolve("arm")).isEqualTo(manifest);
            assertThat(ep.getString("/v2/_catalog")).isEqualTo(
                    "{\"repositories\":[\"other/mirror\",\"team/app\",\"third/copy\"]}");
        }
    }

    @Test
    void inspectRaw_andListTags_showWhatWasPushed() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Skopeo.pushAll(clients, image, ep.docker("team/app", "v1"), tmp.resolve("pushed.digest"));
            Skopeo.pushAll(clients, image, ep.docker("team/app", "v2"), tmp.resolve("pushed2.digest"));

            String raw = clients.skopeo("inspect", "--raw", "--tls-verify=false", ep.docker("team/app", "v1"))
                    .check().stdout();
            assertThat(raw.getBytes()).isEqualTo(image.layout().blob(image.indexDigest()));
            String amd64 = image.platform("amd64").manifestDigest();
            String rawAmd64 = clients.skopeo("inspect", "--raw", "--tls-verify=false", ep.docker("team/app", amd64))
                    .check().stdout();
            assertThat(rawAmd64.getBytes()).isEqualTo(image.layout().blob(amd64));

            Command.Result inspect = clients.skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64",
                    ep.docker("team/app", "v1")).check();
            JsonNode info = OciLayout.parse(inspect.stdout().getBytes());
            assertThat(info.get("Architecture").asText()).as(inspect.describe()).isEqualTo("arm64");
            // skopeo reports the digest of the top-level manifest, the index, and the arm64 config's content.
            assertThat(info.get("Digest").asText()).isEqualTo(image.indexDigest());
            assertThat(info.get("Env").get(0).asText()).startsWith("WHARF_E2E=");

            Command.Result tags = clients.skopeo("list-tags", "--tls-verify=false", "docker://" + ep.hostPort()
                    + "/team/app").check();
            JsonNode list = OciLayout.parse(tags.stdout().getBytes());
            assertThat(list.get("Repository").asText()).isEqualTo(ep.hostPort() + "/team/app");
            assertThat(list.get("Tags")).as(tags.describe()).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("v1", "v2");
        }
    }

    @Test
    void delete_thenManifestIsGone() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Skopeo.pushAll(clients, image, ep.docker("team/app", "v1"), tmp.resolve("pushed.digest"));

            clients.skopeo("delete", "--tls-verify=false", ep.docker("team/app", "v1")).check();

            Command.Result after = clients.skopeo("inspect", "--raw", "--tls-verify=false",
                    ep.docker("team/app", "v1")).run();
            assertThat(after.ok()).as(after.describe()).isFalse();
            assertThat(after.stderr()).as(after.describe()).containsIgnoringCase("manifest unknown");
            HttpResponse<byte[]> byDigest = ep.get("/v2/team/app/manifests/" + image.indexDigest(),
                    TestImage.OCI_INDEX);
            assertThat(byDigest.statusCode()).as(new String(byDigest.body())).isEqualTo(404);
            assertThat(ep.get("/v2/team/app/manifests/v1", TestImage.OCI_INDEX).statusCode()).isEqualTo(404);
            // The platform manifests were not deleted, only the index.
            String amd64 = image.platform("amd64").manifestDigest();
            assertThat(ep.get("/v2/team/app/manifests/" + amd64, TestImage.OCI_MANIFEST).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void singlePlatformImage_convertedToDockerSchema2_isServedAsDockerManifest() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Path digestFile = tmp.resolve("legacy.digest");
            clients.skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false", "--digestfile",
                    digestFile.toString(), "oci:" + image.layout().dir() + ":v1-amd64",
                    ep.docker("team/legacy", "v1")).check();
            String pushed = Files.readString(digestFile).strip();

            for (String ref : new String[] {"v1", pushed}) {
                Path out = tmp.resolve("legacy-" + ref.replace(':', '-'));
                clients.skopeo("copy", "--src-tls-verify=false", ep.docker("team/legacy", ref), "dir:" + out)
                        .check();
                byte[] manifestBytes = Files.readAllBytes(out.resolve("manifest.json"));
                assertThat(OciLayout.sha256(manifestBytes)).isEqualTo(pushed);
                JsonNode manifest = OciLayout.parse(manifestBytes);
                assertThat(manifest.get("mediaType").asText()).isEqualTo(DOCKER_MANIFEST);
                Map<String, byte[]> source = image.layout().blobs();
                for (JsonNode layer : manifest.get("layers")) {
                    String digest = layer.get("digest").asText();
                    assertThat(Files.readAllBytes(out.resolve(digest.substring("sha256:".length()))))
                            .as("layer %s", digest).isEqualTo(source.get(digest));
                }
                String config = manifest.get("config").get("digest").asText();
                assertThat(OciLayout.sha256(Files.readAllBytes(out.resolve(config.substring(7)))))
                        .isEqualTo(config);
            }
            HttpResponse<byte[]> get = ep.get("/v2/team/legacy/manifests/v1", DOCKER_MANIFEST);
            assertThat(get.headers().firstValue("Content-Type")).contains(DOCKER_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(pushed);
        }
    }
}
