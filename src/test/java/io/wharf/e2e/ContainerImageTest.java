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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image ({@code mvn -Pimage package} writes {@code target/wharf-image.tar}; {@code .ci/run} builds it
 * before the tests) run as the seeds run {@code registry:2}: loaded with podman, started with a data directory as
 * {@code /var/lib/registry}, {@code REGISTRY_HTTP_ADDR} and no arguments; skopeo pushes and pulls; the data lands in
 * Distribution's layout; SIGTERM stops it by itself; {@code garbage-collect} runs through the image; and the image
 * is pushed into a running Wharf and pulled back.
 */
@Tag("e2e")
class ContainerImageTest {
    private static final Path TAR = Path.of("target/wharf-image.tar");
    /** What these machines' podman can set: runc refuses limits above the caller's, crun the hybrid cgroups. */
    private static final List<String> RUN = List.of("--runtime", "runc", "--network", "host",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");

    @TempDir
    Path tmp;

    private static Command.Result podman(String... args) {
        List<String> argv = new ArrayList<>(List.of(ExternalTool.PODMAN.require().toString()));
        argv.addAll(List.of(args));
        return Command.of(argv).run();
    }

    private static Command.Result check(Command.Result r) {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r;
    }

    @Test
    void runsAsRegistry2Does() throws Exception {
        if (!Files.exists(TAR)) {
            ExternalTool.skipOrFail(System.getenv(), "no " + TAR + ": build it with mvn -B -Pimage -DskipTests package");
            return;
        }
        ExternalTool.SKOPEO.require();
        String loaded = check(podman("load", "-i", TAR.toString())).stdout();
        String image = loaded.lines().filter(l -> l.startsWith("Loaded image")).map(l -> l.substring(l.indexOf(':')
                + 1).trim()).findFirst().orElseThrow(() -> new AssertionError(loaded));
        Path data = Files.createDirectories(tmp.resolve("registry"));
        // The image runs as the non-root user 65532: the data directory must be writable by it (docs/PACKAGING.md).
        check(Command.of(List.of("chown", "65532:65532", data.toString())).run());
        int port = RegistryProcess.freeLoopbackPort();
        String name = "wharf-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name));
        run.addAll(RUN);
        run.addAll(List.of("-v", data + ":/var/lib/registry", "-e", "REGISTRY_HTTP_ADDR=127.0.0.1:" + port, image));
        check(podman(run.toArray(String[]::new)));
        try {
            awaitServing(URI.create("http://127.0.0.1:" + port + "/v2/"), name);
            Skopeo.roundTrip(tmp, new RegistryEndpoint("127.0.0.1:" + port), "team/app", 33);
            assertThat(data.resolve("docker/registry/v2/repositories/team/app/_manifests/tags/v1/current/link"))
                    .exists();
            assertThat(data.resolve("docker/registry/v2/blobs/sha256")).isDirectory();

            // SIGTERM: the registry drains and exits by itself, well before podman's 30 s would kill it.
            Instant stopping = Instant.now();
            check(podman("stop", "-t", "30", name));
            assertThat(java.time.Duration.between(stopping, Instant.now())).isLessThan(java.time.Duration.ofSeconds(20));
            assertThat(check(podman("inspect", name, "--format", "{{.State.ExitCode}}")).stdout().strip())
                    .isEqualTo("0");
        } finally {
            podman("rm", "-f", name);
        }

        // garbage-collect through the image, against the same volume, as with registry:2.
        List<String> gc = new ArrayList<>(List.of("run", "--rm"));
        gc.addAll(RUN);
        gc.addAll(List.of("-v", data + ":/var/lib/registry", image, "garbage-collect", "--dry-run",
                "/etc/docker/registry/config.yml"));
        Command.Result collected = check(podman(gc.toArray(String[]::new)));
        // The pushed image: an index, two platform manifests, two configs and their layers, all in use.
        assertThat(collected.stdout() + collected.stderr()).contains("marking 1 repositories")
                .contains("0 blobs and 0 manifests eligible for deletion");

        // The ahead-of-time cache matches the image's runtime and jar: with AOTMode=on the JVM refuses to start
        // otherwise (it would silently start without the cache, several times slower).
        List<String> strict = new ArrayList<>(List.of("run", "--rm"));
        strict.addAll(RUN);
        strict.addAll(List.of("-e", "JAVA_TOOL_OPTIONS=-XX:AOTMode=on", image, "--version"));
        assertThat(check(podman(strict.toArray(String[]::new))).stdout()).contains("wharf ");

        // The heap: 64 MiB by default whatever the host's memory, and raised by JAVA_TOOL_OPTIONS.
        assertThat(maxHeapFlag(image, "-XX:+PrintFlagsFinal")).isEqualTo(64L << 20);
        assertThat(maxHeapFlag(image, "-Xmx200m -XX:+PrintFlagsFinal")).isEqualTo(200L << 20);

        // Wharf serves its own image.
        ClientConfig clients = ClientConfig.create(tmp.resolve("clients2"));
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            check(clients.skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + TAR.toAbsolutePath(),
                    ep.docker("wharf/wharf", "test")).run());
            Path back = tmp.resolve("back");
            check(clients.skopeo("copy", "--src-tls-verify=false", ep.docker("wharf/wharf", "test"),
                    "oci:" + back + ":test").run());
            // The OCI copy has another manifest (another format), but the same layers, byte for byte.
            String pushed = check(clients.skopeo("inspect", "--tls-verify=false", "--format", "{{.Layers}}",
                    ep.docker("wharf/wharf", "test")).run()).stdout().strip();
            String stored = check(clients.skopeo("inspect", "--format", "{{.Layers}}", "oci:" + back + ":test")
                    .run()).stdout().strip();
            assertThat(pushed).startsWith("[sha256:");
            assertThat(stored).isEqualTo(pushed);
        }
    }

    @Test
    void holdsEachFileOnceWithTheApplicationInItsOwnLayer() throws Exception {
        if (!Files.exists(TAR)) {
            ExternalTool.skipOrFail(System.getenv(), "no " + TAR + ": build it with mvn -B -Pimage -DskipTests package");
            return;
        }
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        check(Command.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", unpacked.toString()).run());
        JsonNode manifest = new ObjectMapper().readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        List<List<String>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.get("Layers")) {
            String listing = check(Command.of("tar", "-tzf", unpacked.resolve(layer.asText()).toString()).run())
                    .stdout();
            layers.add(listing.lines().filter(f -> !f.endsWith("/")).toList());
        }
        // An upgrade of Wharf changes only the last layer; the runtime and glibc stay cached on the hosts.
        assertThat(layers).hasSize(2);
        assertThat(layers.get(1)).containsExactlyInAnyOrder("usr/lib/wharf/wharf.jar", "usr/lib/wharf/wharf.aot");
        assertThat(layers.get(0)).contains("usr/lib/wharf/runtime/bin/java", "etc/docker/registry/config.yml")
                // No second copy of the classes (Jib's class path) and no default class-data archive: the
                // ahead-of-time cache holds the JDK's classes.
                .noneMatch(f -> f.startsWith("app/"))
                .noneMatch(f -> f.endsWith(".jsa"));
    }

    /** The server JVM's {@code MaxHeapSize} in the image, with {@code toolOptions} in JAVA_TOOL_OPTIONS. */
    private static long maxHeapFlag(String image, String toolOptions) throws Exception {
        List<String> run = new ArrayList<>(List.of("run", "--rm"));
        run.addAll(RUN);
        run.addAll(List.of("-e", "JAVA_TOOL_OPTIONS=" + toolOptions, image, "--version"));
        String out = check(podman(run.toArray(String[]::new))).stdout();
        return out.lines().filter(l -> l.contains(" MaxHeapSize ")).map(l -> Long.parseLong(l.split("=")[1].trim()
                .split("\\s+")[0])).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    private static void awaitServing(URI uri, String container) throws Exception {
        try {
            Await.serving(uri, Duration.ofSeconds(60), "serving", () -> { });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the container's log: " + podman("logs", container).stdout()
                    + podman("logs", container).stderr(), e);
        }
    }
}
