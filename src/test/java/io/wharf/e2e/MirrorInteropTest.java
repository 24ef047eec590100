package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.ConfigLoader;
import io.wharf.config.ConfigResult;
import io.wharf.http.TestRegistry;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wharf as a mirror of Debian's {@code docker-registry} (Distribution 2.8.2), configured as the seeds configure a
 * Distribution mirror (only {@code proxy.remoteurl}): skopeo pulls a multi-platform image through it byte for byte,
 * pushes into it are refused, and podman configured with the mirror in {@code registries.conf} pulls the upstream's
 * image through Wharf.
 */
@Tag("e2e")
class MirrorInteropTest {
    @TempDir
    Path tmp;
    private ClientConfig clients;
    private TestImage image;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.SKOPEO.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 11);
    }

    private TestRegistry mirrorOf(RegistryProcess upstream) throws Exception {
        ConfigResult proxy = ConfigLoader.load("version: 0.1\nstorage:\n  inmemory: {}\nproxy:\n  remoteurl: "
                + upstream.base() + "\n", "config.yml", Map.of());
        assertThat(proxy.errors()).isEmpty();
        return TestRegistry.start(tmp.resolve("mirror"), c -> c.withProxy(proxy.config().proxy()));
    }

    @Test
    void skopeoPullsTheUpstreamsImageThroughTheMirror_andCannotPushIntoIt() throws Exception {
        try (RegistryProcess upstream = RegistryProcess.distribution(tmp.resolve("up"), tmp.resolve("upwork"));
                TestRegistry mirror = mirrorOf(upstream)) {
            RegistryEndpoint up = new RegistryEndpoint(upstream.hostPort());
            Skopeo.pushAll(clients, image, up.docker("team/app", "v1"), tmp.resolve("pushed.digest"));
            RegistryEndpoint ep = RegistryEndpoint.of(mirror.base());

            OciLayout pulled = Skopeo.pullAll(clients, ep.docker("team/app", "v1"), tmp.resolve("pulled"), "v1");
            Skopeo.assertSameImage(image.layout(), "v1", pulled, "v1");
            // A second pull comes from the cache, and equals the first.
            OciLayout again = Skopeo.pullAll(clients, ep.docker("team/app", image.indexDigest()),
                    tmp.resolve("again"), "v1");
            Skopeo.assertSameImage(image.layout(), "v1", again, "v1");

            var push = clients.skopeo("copy", "--all", "--dest-tls-verify=false",
                    "oci:" + image.layout().dir() + ":v1", ep.docker("team/other", "v1")).run();
            assertThat(push.exitCode()).isNotZero();
            HttpResponse<byte[]> refused = ep.send("POST", "/v2/team/other/blobs/uploads/", null);
            assertThat(refused.statusCode()).isEqualTo(405);
            assertThat(new String(refused.body())).contains("UNSUPPORTED").contains("mirror of");
        }
    }

    @Test
    void podmanWithTheMirrorInRegistriesConf_pullsThroughWharf() throws Exception {
        ExternalTool.PODMAN.require();
        try (RegistryProcess upstream = RegistryProcess.distribution(tmp.resolve("up"), tmp.resolve("upwork"));
                TestRegistry mirror = mirrorOf(upstream)) {
            RegistryEndpoint up = new RegistryEndpoint(upstream.hostPort());
            Skopeo.pushAll(clients, image, up.docker("team/app", "v1"), tmp.resolve("pushed.digest"));
            RegistryEndpoint ep = RegistryEndpoint.of(mirror.base());
            Files.writeString(clients.dir().resolve("registries.conf"), """
                    unqualified-search-registries = []

                    [[registry]]
                    prefix = "%1$s"
                    location = "%1$s"
                    insecure = true

                    [[registry.mirror]]
                    location = "%2$s"
                    insecure = true
                    """.formatted(upstream.hostPort(), ep.hostPort()));
            Podman podman = Podman.create(tmp.resolve("podman"), clients);
            podman.check("pull", "--arch", "arm64", upstream.hostPort() + "/team/app:v1");
            // The mirror, not the upstream, answered: it now holds the repository.
            assertThat(ep.getString("/v2/_catalog")).contains("team/app");
            String inspected = podman.check("image", "inspect", "--format", "{{.Id}}",
                    upstream.hostPort() + "/team/app:v1").stdout().strip();
            assertThat("sha256:" + inspected).isEqualTo(image.platform("arm64").configDigest());
        }
    }
}
