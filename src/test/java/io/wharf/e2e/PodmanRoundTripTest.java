package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman pushes a multi-platform image (a manifest list) and a single image to Wharf, and pulls them. */
@Tag("e2e")
class PodmanRoundTripTest {
    static final String ACCEPT_LISTS = TestImage.OCI_INDEX
            + ", application/vnd.docker.distribution.manifest.list.v2+json";

    @TempDir
    Path tmp;

    TestImage image;
    ClientConfig clients;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.PODMAN.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 99);
    }

    @Test
    void manifestList_pushedWithAll_isPulledPerPlatformByTagAndDigest() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Podman pusher = Podman.create(tmp.resolve("pusher"), clients);
            pusher.check("manifest", "create", "localhost/wharf-e2e:v1");
            for (String arch : TestImage.ARCHITECTURES) {
                pusher.check("manifest", "add", "localhost/wharf-e2e:v1",
                        "oci:" + image.layout().dir() + ":v1-" + arch);
            }
            Path digestFile = tmp.resolve("list.digest");
            pusher.check("manifest", "push", "--all", "--tls-verify=false", "--digestfile", digestFile.toString(),
                    "localhost/wharf-e2e:v1", ep.docker("team/podman", "v1"));
            String listDigest = Files.readString(digestFile).strip();

            HttpResponse<byte[]> list = ep.get("/v2/team/podman/manifests/v1", ACCEPT_LISTS);
            assertThat(list.statusCode()).as(new String(list.body())).isEqualTo(200);
            assertThat(OciLayout.sha256(list.body())).isEqualTo(listDigest);
            assertThat(list.headers().firstValue("Docker-Content-Digest")).contains(listDigest);
            List<String> instances = new ArrayList<>();
            for (JsonNode m : OciLayout.parse(list.body()).get("manifests")) {
                instances.add(m.get("digest").asText());
            }
            // The platform images went over unchanged: same manifests, so same layers and configs.
            assertThat(instances).containsExactlyInAnyOrder(image.platform("amd64").manifestDigest(),
                    image.platform("arm64").manifestDigest());

            Podman puller = Podman.create(tmp.resolve("puller"), clients);
            String byTag = ep.hostPort() + "/team/podman:v1";
            String byDigest = ep.hostPort() + "/team/podman@" + listDigest;
            assertPulled(puller, byTag, "arm64", listDigest);
            assertPulled(puller, byDigest, "amd64", listDigest);
        }
    }

    @Test
    void singleImage_pushedFromLocalStorage_isPulledBackByDigest() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            Podman pusher = Podman.create(tmp.resolve("pusher"), clients);
            String id = pusher.check("pull", "-q", "oci:" + image.layout().dir() + ":v1-amd64").stdout().strip();
            assertThat(id).isEqualTo(hex(image.platform("amd64").configDigest()));
            String local = "localhost/wharf-e2e-single:v1";
            pusher.check("tag", id, local);
            Path digestFile = tmp.resolve("single.digest");
            pusher.check("push", "--tls-verify=false", "--digestfile", digestFile.toString(), local,
                    ep.docker("team/single", "v1"));
            String pushed = Files.readString(digestFile).strip();
            HttpResponse<byte[]> manifest = ep.get("/v2/team/single/manifests/v1", TestImage.OCI_MANIFEST
                    + ", application/vnd.docker.distribution.manifest.v2+json");
            assertThat(OciLayout.sha256(manifest.body())).isEqualTo(pushed);

            Podman puller = Podman.create(tmp.resolve("puller"), clients);
            puller.check("pull", "--tls-verify=false", ep.hostPort() + "/team/single@" + pushed);
            assertThat(inspect(puller, ep.hostPort() + "/team/single@" + pushed).get("Id").asText())
                    .isEqualTo(hex(image.platform("amd64").configDigest()));
            puller.check("pull", "--tls-verify=false", ep.hostPort() + "/team/single:v1");
            JsonNode inspect = inspect(puller, ep.hostPort() + "/team/single:v1");
            assertThat(inspect.get("Digest").asText()).isEqualTo(pushed);
        }
    }

    /** Pulls one platform of {@code reference} and checks it is the source image of that platform. */
    private void assertPulled(Podman podman, String reference, String arch, String listDigest) throws Exception {
        podman.check("pull", "--tls-verify=false", "--platform", "linux/" + arch, reference);
        TestImage.Platform want = image.platform(arch);
        JsonNode inspect = inspect(podman, reference);
        assertThat(inspect.get("Id").asText()).as(inspect.toString()).isEqualTo(hex(want.configDigest()));
        assertThat(inspect.get("Architecture").asText()).isEqualTo(arch);
        // podman records the digest it pulled by (the list's) and both the list's and the instance's.
        assertThat(inspect.get("Digest").asText()).as(inspect.toString()).isEqualTo(listDigest);
        assertThat(inspect.get("RootFS").get("Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(want.diffIds());
        assertThat(inspect.get("RepoDigests")).extracting(JsonNode::asText)
                .anyMatch(d -> d.endsWith("@" + listDigest))
                .anyMatch(d -> d.endsWith("@" + want.manifestDigest()));
    }

    /** The one image {@code podman image inspect} reports for {@code reference}. */
    static JsonNode inspect(Podman podman, String reference) {
        Command.Result r = podman.check("image", "inspect", reference);
        JsonNode all = OciLayout.parse(r.stdout().getBytes());
        assertThat(all.size()).as(r.describe()).isEqualTo(1);
        return all.get(0);
    }

    /** The hex part of a {@code sha256:} digest: podman's image id when the digest is the config's. */
    static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
