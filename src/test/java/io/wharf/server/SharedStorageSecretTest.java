package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.registry.StorageLease;
import io.wharf.storage.fs.FilesystemDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers sharing one storage need one {@code http.secret}: a server without one refuses to start beside a live
 * one, and says which key to set; alone, or beside what a crash left, it starts; a different secret is only
 * warned about (a rolling change of the secret must not stop).
 */
class SharedStorageSecretTest {
    @TempDir
    Path dir;

    private static UnaryOperator<RegistryConfig> secret(String secret) {
        return c -> TestRegistry.withHttp(c, h -> h.withSecret(secret));
    }

    @Test
    void aServerWithoutSecret_refusesToJoinALiveOne_andStartsOnceItIsGone() throws Exception {
        Path root = dir.resolve("data");
        try (TestRegistry first = TestRegistry.start(root, secret("shared"))) {
            assertThatThrownBy(() -> TestRegistry.start(root, secret("")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 other server(s) write this storage")
                    .hasMessageContaining("http.secret").hasMessageContaining("REGISTRY_HTTP_SECRET");
            try (TestRegistry same = TestRegistry.start(root, secret("shared"));
                    TestRegistry rotated = TestRegistry.start(root, secret("the next one"))) {
                assertThat(same.get("/v2/").statusCode()).isEqualTo(200);
                assertThat(rotated.get("/v2/").statusCode()).isEqualTo(200);
            }
            // The refused start left no lease behind: the first server is still the only other one.
            assertThat(new StorageLease(new FilesystemDriver(root), new ObjectMapper(), Clock.systemUTC())
                    .liveServers(null)).hasSize(1);
        }
        try (TestRegistry alone = TestRegistry.start(root, secret(""))) {
            assertThat(alone.get("/v2/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theLeaseOfAServerThatDied_onThisMachine_orOfAnEarlierStartOfThisPid_doesNotCount_butOneElsewhereDoes() throws Exception {
        Path root = dir.resolve("data");
        Files.createDirectories(root);
        StorageLease leases = new StorageLease(new FilesystemDriver(root), new ObjectMapper(), Clock.systemUTC());
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
        leases.holdServer("killed", "wharf serve pid " + ended.pid(), "", Duration.ofMinutes(5),
                new StorageLease.Server(HostName.get(), ended.pid(), 0, ""));
        long self = ProcessHandle.current().pid();
        leases.holdServer("restarted-container", "wharf serve pid " + self, "", Duration.ofMinutes(5),
                new StorageLease.Server(HostName.get(), self, 1, ""));
        try (TestRegistry restarted = TestRegistry.start(root, secret(""))) {
            assertThat(restarted.get("/v2/").statusCode()).isEqualTo(200);
        }
        leases.holdServer("elsewhere", "wharf serve pid 1 on another-machine", "", Duration.ofMinutes(5),
                new StorageLease.Server("another-machine", 1, 1, "0123456789abcdef"));
        assertThatThrownBy(() -> TestRegistry.start(root, secret("")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wharf serve pid 1 on another-machine");
    }

    @Test
    void wharfServe_refusedBesideAnotherServer_saysWhyAndExits1WithoutAStackTrace() throws Exception {
        Path root = dir.resolve("data");
        try (io.wharf.testing.RegistryProcess first = io.wharf.testing.RegistryProcess.wharf(root,
                dir.resolve("first"))) {
            Path work = Files.createDirectories(dir.resolve("second"));
            Path config = io.wharf.testing.RegistryProcess.writeConfig(work, root,
                    io.wharf.testing.RegistryProcess.freeLoopbackPort());
            Process second = new ProcessBuilder(io.wharf.testing.RegistryProcess.wharfCommand("serve",
                    config.toString())).redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("error: 1 other server(s) write this storage (wharf serve pid ",
                    "set http.secret or REGISTRY_HTTP_SECRET", "wharf: not started").doesNotContain("\tat io.wharf");
        }
    }

    @Test
    void fingerprints_matchForOneSecret_andRevealNothingWithout() {
        assertThat(Maintenance.fingerprint("a secret")).hasSize(16).isEqualTo(Maintenance.fingerprint("a secret"))
                .isNotEqualTo(Maintenance.fingerprint("another secret")).doesNotContain("secret");
        assertThat(Maintenance.fingerprint("")).isEmpty();
    }
}
