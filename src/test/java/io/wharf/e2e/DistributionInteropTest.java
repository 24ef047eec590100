package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
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
        try (DistributionProcess distribution = DistributionProcess.start(root, tmp.resolve("distribution"))) {
            pushBoth(distribution.endpoint(), distribution.describe());
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
        try (DistributionProcess distribution = DistributionProcess.start(root, tmp.resolve("distribution"))) {
            pullAndCheck(distribution.endpoint(), distribution.describe());
        }
    }

    @Test
    void samePushes_leaveTheSameFilesAsDistribution() throws Exception {
        Path distributionRoot = tmp.resolve("distribution-data");
        try (DistributionProcess distribution = DistributionProcess.start(distributionRoot, tmp.resolve("distribution"))) {
            pushBoth(distribution.endpoint(), distribution.describe());
        }
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pushBoth(RegistryEndpoint.of(wharf.base()), "");
        }
        assertSameFiles(distributionRoot, root);
    }

    @Test
    void sameDeletes_leaveTheSameFilesAsDistribution() throws Exception {
        Path distributionRoot = tmp.resolve("distribution-data");
        try (DistributionProcess distribution = DistributionProcess.start(distributionRoot, tmp.resolve("distribution"))) {
            pushBoth(distribution.endpoint(), distribution.describe());
            deleteSome(distribution.endpoint());
        }
        try (TestRegistry wharf = TestRegistry.start(root)) {
            pushBoth(RegistryEndpoint.of(wharf.base()), "");
            deleteSome(RegistryEndpoint.of(wharf.base()));
        }
        assertSameFiles(distributionRoot, root);
    }

    /** Deletes the index behind team/app:v2 (so both its tags) and one platform manifest by digest. */
    private void deleteSome(RegistryEndpoint ep) {
        clients.skopeo("delete", "--tls-verify=false", ep.docker("team/app", "v2")).check();
        clients.skopeo("delete", "--tls-verify=false", ep.docker("team/app", image.platform("arm64")
                .manifestDigest())).check();
    }

    private static void assertSameFiles(Path distributionRoot, Path wharfRoot) throws Exception {
        Map<String, String> want = DataDirectory.snapshot(distributionRoot);
        Map<String, String> got = DataDirectory.snapshot(wharfRoot);
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
