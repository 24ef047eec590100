package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Await;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux/arm64 image ({@code target/wharf-image-arm64.tar}) and the multi-platform index
 * ({@code target/wharf-image-oci}), both written by {@code mvn -Pimage package}. This machine is amd64, so the arm64
 * image's files are unpacked into a directory and its entrypoint runs there with {@code chroot}, through the
 * user-mode emulator {@code qemu-aarch64-static}: the image's own runtime, libraries, configuration and user, as a
 * container would start them, only slower.
 */
@Tag("e2e")
class ContainerImageArm64Test {
    private static final Path ARM64_TAR = Path.of("target/wharf-image-arm64.tar");
    private static final Path INDEX = Path.of("target/wharf-image-oci");
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Command.Result check(Command.Result r) {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r;
    }

    @Test
    void arm64ImageServesAsRegistry2Does() throws Exception {
        if (!Files.exists(ARM64_TAR) || !"root".equals(System.getProperty("user.name"))) {
            ExternalTool.skipOrFail(System.getenv(), "needs root (chroot) and " + ARM64_TAR
                    + ": build it with mvn -B -Pimage -DskipTests package");
            return;
        }
        Path qemu = ExternalTool.QEMU_AARCH64.require();
        ExternalTool.SKOPEO.require();
        Path image = Files.createDirectories(tmp.resolve("image"));
        check(Command.of("tar", "-xf", ARM64_TAR.toAbsolutePath().toString(), "-C", image.toString()).run());
        JsonNode manifest = json.readTree(image.resolve("manifest.json").toFile()).get(0);
        JsonNode config = json.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        assertThat(config.get("architecture").asText()).isEqualTo("arm64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        Path root = Files.createDirectories(tmp.resolve("root"));
        List<String> last = List.of();
        for (JsonNode layer : manifest.get("Layers")) {
            Path file = image.resolve(layer.asText());
            check(Command.of("tar", "-xzf", file.toString(), "-C", root.toString()).run());
            last = check(Command.of("tar", "-tzf", file.toString()).run()).stdout().lines()
                    .filter(f -> !f.endsWith("/")).toList();
        }
        // As in the amd64 image, the application alone in the last layer; no ahead-of-time cache (it is trained by
        // running the server, which this machine cannot do natively).
        assertThat(last).containsExactly("usr/lib/wharf/wharf.jar");
        assertThat(check(Command.of("readelf", "-h", root.resolve("usr/lib/wharf/runtime/bin/java").toString())
                .run()).stdout()).contains("AArch64");

        Files.copy(qemu, root.resolve("qemu-aarch64-static"), StandardCopyOption.COPY_ATTRIBUTES);
        int port = RegistryProcess.freeLoopbackPort();
        List<String> argv = new ArrayList<>(List.of("chroot", "--userspec=" + config.get("config").get("User")
                .asText(), root.toString(), "/qemu-aarch64-static"));
        config.get("config").get("Entrypoint").forEach(a -> argv.add(a.asText()));
        config.get("config").get("Cmd").forEach(a -> argv.add(a.asText()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile());
        pb.environment().put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
        Process server = pb.start();
        try {
            // Emulated, the JVM takes tens of seconds to start.
            Await.serving(URI.create("http://127.0.0.1:" + port + "/v2/"), Duration.ofMinutes(4), "serving",
                    () -> assertThat(server.isAlive()).as(log()).isTrue());
            Skopeo.roundTrip(tmp, new RegistryEndpoint("127.0.0.1:" + port), "team/app", 7);
            assertThat(root.resolve("var/lib/registry/docker/registry/v2/repositories/team/app/_manifests/tags/v1"
                    + "/current/link")).exists();
        } finally {
            server.destroy();
            assertThat(server.waitFor(2, TimeUnit.MINUTES)).as("exits by itself after SIGTERM").isTrue();
        }
        assertThat(server.exitValue()).as(log()).isZero();
    }

    @Test
    void oneNameServesBothArchitectures() throws Exception {
        Path amd64 = Path.of("target/wharf-image.tar");
        if (!Files.isDirectory(INDEX) || !Files.exists(amd64) || !Files.exists(ARM64_TAR)) {
            ExternalTool.skipOrFail(System.getenv(), "no " + INDEX + " or image tars: build them with mvn -B -Pimage "
                    + "-DskipTests package");
            return;
        }
        ExternalTool.SKOPEO.require();
        JsonNode built = json.readTree(INDEX.resolve("index.json").toFile()).get("manifests").get(0);
        String tag = built.get("annotations").get("org.opencontainers.image.ref.name").asText();
        ClientConfig clients = ClientConfig.create(tmp.resolve("clients"));
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            String name = RegistryEndpoint.of(wharf.base()).docker("wharf/wharf", tag);
            // The build's own step, with a destination: joins the two images again and pushes them.
            String digest = check(Command.of("bash", "packaging/image-index.sh", amd64.toString(),
                    ARM64_TAR.toString(), tmp.resolve("oci").toString(), tag, name, "--dest-tls-verify=false").run())
                    .stdout().strip();
            assertThat(digest).as("the same images give the same index").isEqualTo(built.get("digest").asText());
            JsonNode index = json.readTree(check(clients.skopeo("inspect", "--raw", "--tls-verify=false", name)
                    .run()).stdout());
            assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
            List<String> platforms = new ArrayList<>();
            index.get("manifests").forEach(m -> platforms.add(m.get("platform").get("os").asText() + "/"
                    + m.get("platform").get("architecture").asText()));
            assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
            for (String arch : List.of("amd64", "arm64")) {
                // What a host of that architecture pulls: its own image, whose configuration says so.
                String pulled = check(clients.skopeo("inspect", "--tls-verify=false", "--override-arch", arch,
                        "--format", "{{.Architecture}} {{.Os}}", name).run()).stdout().strip();
                assertThat(pulled).isEqualTo(arch + " linux");
            }
        }
    }

    private String log() {
        try {
            return "server log: " + Files.readString(tmp.resolve("server.log"));
        } catch (java.io.IOException e) {
            return "no server log: " + e;
        }
    }
}
