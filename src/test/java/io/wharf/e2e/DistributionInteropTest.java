package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wharf and CNCF Distribution 2.8 ({@code docker-registry}) share a data directory both ways: what
 * one stored, the other serves byte for byte, with the same tags and catalog.
 */
@Tag("e2e")
class DistributionInteropTest {
    @TempDir
    Path tmp;

    ClientConfig clients;
    TestImage image;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.SKOPEO.require();
        ExternalTool.DOCKER_REGISTRY.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 7);
        root = tmp.resolve("data");
    }

    @Test
    void pushedToDistribution_isServedByWharf() throws Exception {
        try (RegistryProcess distribution = RegistryProcess.distribution(root, tmp.resolve("distribution"))) {
            pushBoth(RegistryEndpoint.of(distribution.base()), distribution.describe());
        }
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pullAndCheck(RegistryEndpoint.of(wharf.base()), "");
        }
    }

    @Test
    void pushedToWharf_isServedByDistribution() throws Exception {
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pushBoth(RegistryEndpoint.of(wharf.base()), "");
        }
        try (RegistryProcess distribution = RegistryProcess.distribution(root, tmp.resolve("distribution"))) {
            pullAndCheck(RegistryEndpoint.of(distribution.base()), distribution.describe());
        }
    }

    @Test
    void samePushes_leaveTheSameFilesAsDistribution() throws Exception {
        Path distributionRoot = tmp.resolve("distribution-data");
        try (RegistryProcess distribution = RegistryProcess.distribution(distributionRoot, tmp.resolve("distribution"))) {
            pushBoth(RegistryEndpoint.of(distribution.base()), distribution.describe());
        }
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pushBoth(RegistryEndpoint.of(wharf.base()), "");
        }
        assertSameFiles(distributionRoot, root);
    }

    @Test
    void sameDeletes_leaveTheSameFilesAsDistribution() throws Exception {
        Path distributionRoot = tmp.resolve("distribution-data");
        try (RegistryProcess distribution = RegistryProcess.distribution(distributionRoot, tmp.resolve("distribution"))) {
            RegistryEndpoint d = RegistryEndpoint.of(distribution.base());
            pushBoth(d, distribution.describe());
            deleteSome(d);
        }
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pushBoth(RegistryEndpoint.of(wharf.base()), "");
            deleteSome(RegistryEndpoint.of(wharf.base()));
        }
        assertSameFiles(distributionRoot, root);
    }

    @Test
    void sameDataDirectory_bothServersGiveTheSameAnswers() throws Exception {
        try (RegistryProcess distribution = RegistryProcess.distribution(root, tmp.resolve("distribution"))) {
            RegistryEndpoint d = RegistryEndpoint.of(distribution.base());
            pushBoth(d, distribution.describe());
            deleteSome(d);
            clients.skopeo("copy", "--dest-tls-verify=false", "oci:" + image.layout().dir() + ":v1-amd64",
                    d.docker("team/app", "v3")).check();
            try (TestRegistry wharf = TestRegistry.start(root)) {
                RegistryEndpoint w = RegistryEndpoint.of(wharf.base());
                String amd64 = image.platform("amd64").manifestDigest();
                String arm64 = image.platform("arm64").manifestDigest();
                String layer = OciLayout.parse(image.layout().blob(amd64)).get("layers").get(0).get("digest").asText();
                String accept = TestImage.OCI_MANIFEST + ", " + TestImage.OCI_INDEX;
                for (String path : new String[] {"/v2/_catalog", "/v2/team/app/tags/list", "/v2/base/tags/list",
                        "/v2/team/app/manifests/v3", "/v2/team/app/manifests/v1", "/v2/team/app/manifests/v2",
                        "/v2/team/app/manifests/" + amd64, "/v2/team/app/manifests/" + arm64,
                        "/v2/team/app/manifests/" + image.indexDigest(), "/v2/team/app/blobs/" + layer,
                        "/v2/nope/tags/list", "/v2/nope/manifests/latest"}) {
                    assertSameAnswer(path, accept, d, w);
                    if (path.contains("/manifests/") || path.contains("/blobs/")) {
                        assertSameHeadAnswer(path, accept, d, w);
                    }
                }
            }
        }
    }

    private static void assertSameAnswer(String path, String accept, RegistryEndpoint distribution,
            RegistryEndpoint wharf) throws Exception {
        HttpResponse<byte[]> want = distribution.get(path, accept);
        HttpResponse<byte[]> got = wharf.get(path, accept);
        String context = "GET " + path + "\nDistribution: " + want.statusCode() + " " + new String(want.body())
                + "\nWharf: " + got.statusCode() + " " + new String(got.body());
        assertThat(got.statusCode()).as(context).isEqualTo(want.statusCode());
        if (want.statusCode() == 200) {
            assertThat(new String(got.body()).strip()).as(context).isEqualTo(new String(want.body()).strip());
            for (String header : new String[] {"Content-Type", "Docker-Content-Digest"}) {
                assertThat(got.headers().firstValue(header)).as(header + " of " + context)
                        .isEqualTo(want.headers().firstValue(header));
            }
            // Distribution's JSON encoder ends listings with a newline; Wharf's do not. Content is exact.
            if (!path.contains("/_catalog") && !path.endsWith("/tags/list")) {
                assertThat(got.body()).as(context).isEqualTo(want.body());
            }
        } else {
            JsonNode wantErrors = OciLayout.parse(want.body()).get("errors");
            JsonNode gotErrors = OciLayout.parse(got.body()).get("errors");
            assertThat(gotErrors.get(0).get("code").asText()).as(context)
                    .isEqualTo(wantErrors.get(0).get("code").asText());
        }
    }

    private static void assertSameHeadAnswer(String path, String accept, RegistryEndpoint distribution,
            RegistryEndpoint wharf) throws Exception {
        HttpResponse<byte[]> want = distribution.send("HEAD", path, accept);
        HttpResponse<byte[]> got = wharf.send("HEAD", path, accept);
        String context = "HEAD " + path + "\nDistribution: " + want.statusCode() + " " + want.headers().map()
                + "\nWharf: " + got.statusCode() + " " + got.headers().map();
        assertThat(got.statusCode()).as(context).isEqualTo(want.statusCode());
        // Error bodies carry each server's own detail text, so only a success's length must match.
        String[] headers = want.statusCode() == 200
                ? new String[] {"Content-Type", "Docker-Content-Digest", "Content-Length"}
                : new String[] {"Content-Type"};
        for (String header : headers) {
            assertThat(got.headers().firstValue(header)).as(header + " of " + context)
                    .isEqualTo(want.headers().firstValue(header));
        }
    }

    /** Deletes the index behind team/app:v2 (so both its tags) and one platform manifest by digest. */
    private void deleteSome(RegistryEndpoint ep) {
        clients.skopeo("delete", "--tls-verify=false", ep.docker("team/app", "v2")).check();
        clients.skopeo("delete", "--tls-verify=false", ep.docker("team/app", image.platform("arm64")
                .manifestDigest())).check();
    }

    private static void assertSameFiles(Path distributionRoot, Path wharfRoot) throws Exception {
        Map<String, String> want = DataDirectory.snapshot(distributionRoot);
        // Wharf's own bookkeeping (server leases, pull records; docs/GC.md) lives under _wharf, which
        // Distribution never reads; everything else must be the same file for file.
        Map<String, String> got = new java.util.TreeMap<>(DataDirectory.snapshot(wharfRoot));
        got.keySet().removeIf(p -> p.startsWith("docker/registry/v2/_wharf/"));
        assertThat(got.keySet()).as("files under the data directory")
                .containsExactlyInAnyOrderElementsOf(want.keySet());
        assertThat(got).isEqualTo(want);
    }

    /** The multi-platform image as team/app:v1 and :v2, and its amd64 image as base:latest. */
    private void pushBoth(RegistryEndpoint ep, String serverLog) throws Exception {
        String pushed = Skopeo.pushAll(clients, image, ep.docker("team/app", "v1"), tmp.resolve("d1"));
        assertThat(pushed).as(serverLog).isEqualTo(image.indexDigest());
        Skopeo.pushAll(clients, image, ep.docker("team/app", "v2"), tmp.resolve("d2"));
        clients.skopeo("copy", "--dest-tls-verify=false", "oci:" + image.layout().dir() + ":v1-amd64",
                ep.docker("base", "latest")).check();
    }

    private void pullAndCheck(RegistryEndpoint ep, String serverLog) throws Exception {
        OciLayout byTag = Skopeo.pullAll(clients, ep.docker("team/app", "v1"), tmp.resolve("by-tag"), "v1");
        Skopeo.assertSameImage(image.layout(), "v1", byTag, "v1");
        OciLayout byDigest = Skopeo.pullAll(clients, ep.docker("team/app", image.indexDigest()),
                tmp.resolve("by-digest"), "pulled");
        Skopeo.assertSameImage(image.layout(), "v1", byDigest, "pulled");
        OciLayout single = Skopeo.pullAll(clients, ep.docker("base", "latest"), tmp.resolve("single"), "x");
        assertThat(single.resolve("x")).isEqualTo(image.platform("amd64").manifestDigest());

        assertThat(ep.getString("/v2/team/app/tags/list")).as(serverLog)
                .isIn("{\"name\":\"team/app\",\"tags\":[\"v1\",\"v2\"]}", "{\"name\":\"team/app\",\"tags\":[\"v1\",\"v2\"]}\n");
        assertThat(ep.getString("/v2/_catalog").strip()).as(serverLog)
                .isEqualTo("{\"repositories\":[\"base\",\"team/app\"]}");
    }
}
