package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.testing.Await;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an operator meets it (built by {@code packaging/deb.sh}, which {@code .ci/run} runs before
 * the tests): {@code apt-get install ./wharf_*.deb}, {@code systemd-analyze verify} of its unit, the unit's command
 * line run as the {@code wharf} user (as systemd would: its process gets the signal) serving a push and a pull with skopeo into {@code /var/lib/wharf} in
 * Distribution's layout, then {@code apt-get purge}, after which only the data directory is left. Installs
 * system-wide, so it runs only as root (CI) and skips elsewhere.
 */
@Tag("e2e")
class DebianPackageTest {
    @TempDir
    Path tmp;

    @Test
    void installServePurge() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.exists(Path.of("target")) ? Files.list(Path.of("target")) : Stream.empty()) {
            deb = files.filter(p -> p.getFileName().toString().matches("wharf_.*_amd64\\.deb")).findFirst()
                    .orElse(null);
        }
        if (deb == null || !"root".equals(System.getProperty("user.name"))) {
            ExternalTool.skipOrFail(System.getenv(), "needs root and target/wharf_*_amd64.deb (packaging/deb.sh)");
            return;
        }
        ExternalTool.SKOPEO.require();
        Path data = Path.of("/var/lib/wharf");
        boolean dataExisted = Files.exists(data);
        try {
            run("apt-get", "install", "-y", deb.toAbsolutePath().toString());
            assertThat(Path.of("/etc/wharf/config.yml")).exists();
            assertThat(Files.readAllLines(Path.of("/var/lib/dpkg/info/wharf.conffiles")))
                    .contains("/etc/wharf/config.yml");
            Command.Result verify = Command.of(List.of("systemd-analyze", "verify",
                    "/lib/systemd/system/wharf.service")).run();
            assertThat(verify.exitCode()).as(verify.describe()).isZero();
            assertThat(verify.stderr()).doesNotContain("wharf.service:");
            // The shipped ahead-of-time cache matches the shipped runtime and jar: with AOTMode=on the JVM refuses
            // to start otherwise (it would silently start without the cache, several times slower).
            Command.Result strict = Command.of(List.of("/usr/bin/wharf", "--version"))
                    .env(java.util.Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on")).run();
            assertThat(strict.exitCode()).as(strict.describe()).isZero();
            String execStart = Files.readAllLines(Path.of("/lib/systemd/system/wharf.service")).stream()
                    .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring(10);

            int port = RegistryProcess.freeLoopbackPort();
            // As systemd starts it: the unit's command as user wharf, its process receiving SIGTERM directly.
            ProcessBuilder pb = new ProcessBuilder(List.of("setpriv", "--reuid=wharf", "--regid=wharf",
                    "--init-groups", "env", "REGISTRY_HTTP_ADDR=127.0.0.1:" + port, "sh", "-c", "exec " + execStart))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("wharf.log").toFile());
            Process server = pb.start();
            try {
                awaitServing(URI.create("http://127.0.0.1:" + port + "/v2/"), server);
                Skopeo.roundTrip(tmp, new RegistryEndpoint("127.0.0.1:" + port), "deb/app", 21);
                assertThat(data.resolve("docker/registry/v2/repositories/deb/app/_manifests/tags/v1")).isDirectory();
                assertThat(Files.getOwner(data.resolve("docker")).getName()).isEqualTo("wharf");
            } finally {
                server.destroy();
                assertThat(server.waitFor()).as("exit status after SIGTERM").isZero();
            }

            run("apt-get", "purge", "-y", "wharf");
            assertThat(Path.of("/etc/wharf")).doesNotExist();
            assertThat(Path.of("/usr/lib/wharf")).doesNotExist();
            assertThat(Path.of("/usr/bin/wharf")).doesNotExist();
            assertThat(Path.of("/lib/systemd/system/wharf.service")).doesNotExist();
            assertThat(Command.of(List.of("getent", "passwd", "wharf")).run().exitCode()).isNotZero();
            assertThat(data.resolve("docker/registry/v2/repositories/deb/app")).isDirectory();
        } finally {
            Command.of(List.of("apt-get", "purge", "-y", "wharf")).run();
            if (!dataExisted) {
                Command.of(List.of("rm", "-rf", data.toString())).run();
            }
        }
    }

    private static void run(String... argv) {
        Command.Result r = Command.of(List.of(argv)).env(java.util.Map.of("DEBIAN_FRONTEND", "noninteractive"))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    private static void awaitServing(URI uri, Process server) throws Exception {
        Await.serving(uri, Duration.ofSeconds(60), "serving",
                () -> assertThat(server.isAlive()).as("the unit's command keeps running").isTrue());
    }
}
