package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.wharf.config.ConfigLoader;
import io.wharf.config.ConfigResult;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Await;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's daemon with Wharf in {@code registry-mirrors} (daemon.json), Wharf configured as a Distribution mirror
 * (only {@code proxy.remoteurl}) of Debian's {@code docker-registry} (Distribution 2.8.2): {@code docker pull} of an
 * official-image name is answered by Wharf from the upstream's {@code library/} repository, and, with the upstream
 * stopped, by Wharf's cache. There is no network in the test, so Docker Hub itself can answer nothing.
 *
 * <p>Docker 20.10 asks the mirror {@code GET /v2/}, {@code HEAD} of the tag, then the index and the platform's
 * manifest by digest, then the config and layers: only the {@code HEAD} depends on the tag, so it is the request
 * that gets the cached copy while the upstream is down.
 */
@Tag("e2e")
class DockerMirrorTest {
    private static final ExternalTool DOCKERD = new ExternalTool("dockerd", "docker.io");
    private static final ExternalTool DOCKER = new ExternalTool("docker", "docker.io");
    /** {@code docker pull wharf-e2e:v1} is Docker Hub's {@code library/wharf-e2e:v1}, which a mirror is asked for. */
    private static final String NAME = "wharf-e2e";
    private static final String UPSTREAM_REPOSITORY = "library/" + NAME;

    @TempDir
    Path tmp;
    private Process daemon;
    private String socket;

    @AfterEach
    void stopDocker() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void dockerPullsThroughTheMirror_andFromItsCacheWhileTheUpstreamIsDown() throws Exception {
        DOCKERD.require();
        DOCKER.require();
        ExternalTool.SKOPEO.require();
        ClientConfig clients = ClientConfig.create(tmp.resolve("clients"));
        TestImage image = TestImage.write(tmp.resolve("source"), "v1", 11);
        RegistryProcess upstream = RegistryProcess.distribution(tmp.resolve("up"), tmp.resolve("upwork"));
        try (upstream; TestRegistry mirror = mirrorOf(upstream)) {
            String pushed = Skopeo.pushAll(clients, image, new RegistryEndpoint(upstream.hostPort())
                    .docker(UPSTREAM_REPOSITORY, "v1"), tmp.resolve("pushed.digest"));
            assertThat(pushed).isEqualTo(image.indexDigest());
            startDocker(mirror);

            pull();
            assertThat(mirrorAnswers(mirror, "manifest", "miss")).as("manifests Wharf fetched upstream").isPositive();
            assertThat(mirrorAnswers(mirror, "blob", "miss")).as("config and two layers Wharf fetched upstream")
                    .isEqualTo(3);
            assertPulledImageIs(image, pushed);

            upstream.close();
            assertThat(docker("rmi", NAME + ":v1").check().stdout()).contains("Untagged: " + NAME + "@" + pushed)
                    .contains("Deleted: " + image.platform("amd64").configDigest());
            pull();
            assertThat(mirrorAnswers(mirror, "manifest", "stale")).as("the tag served from the cache").isPositive();
            assertThat(mirrorAnswers(mirror, "blob", "hit")).as("config and layers served from the cache")
                    .isEqualTo(3);
            assertPulledImageIs(image, pushed);
            assertCachedTagServedWithAWarning(mirror, pushed);
        }
    }

    /**
     * Wharf mirroring {@code upstream} as the seeds configure a Distribution mirror, plus {@code tagttl: 0s} so that
     * every pull by tag asks the upstream, as Distribution does; with Wharf's default of one minute the pull after
     * the outage would be an ordinary cache hit and never try the stopped upstream.
     */
    private TestRegistry mirrorOf(RegistryProcess upstream) throws Exception {
        ConfigResult proxy = ConfigLoader.load("version: 0.1\nstorage:\n  inmemory: {}\nproxy:\n  remoteurl: "
                + upstream.base() + "\n  tagttl: 0s\n", "config.yml", Map.of());
        assertThat(proxy.errors()).isEmpty();
        return TestRegistry.start(tmp.resolve("mirror"), c -> c.withProxy(proxy.config().proxy()));
    }

    /** Starts dockerd with the mirror in its daemon.json and waits until it answers. */
    private void startDocker(TestRegistry mirror) throws IOException, InterruptedException {
        Path d = Files.createDirectories(tmp.resolve("docker"));
        Path daemonJson = Files.writeString(d.resolve("daemon.json"),
                "{\"registry-mirrors\": [\"" + mirror.base() + "\"]}");
        Path log = d.resolve("dockerd.log");
        socket = "unix://" + d.resolve("docker.sock");
        daemon = new ProcessBuilder(DOCKERD.require().toString(), "--config-file", daemonJson.toString(),
                "--storage-driver", "vfs", "--iptables=false", "--bridge=none", "--data-root",
                d.resolve("data").toString(), "--exec-root", d.resolve("exec").toString(), "--pidfile",
                d.resolve("docker.pid").toString(), "-H", socket)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until(() -> {
            assertThat(daemon.isAlive()).as("dockerd running; log:\n%s", readLog(log)).isTrue();
            return docker("version", "--format", "{{.Server.Version}}").run().ok();
        }, Duration.ofSeconds(60), "dockerd answering");
        String mirrors = docker("info", "--format", "{{json .RegistryConfig.Mirrors}}").check().stdout();
        assertThat(mirrors).contains(mirror.base().toString());
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docker pull} of the official-image name, which only the mirror can answer here. */
    private void pull() {
        Command.Result pull = docker("pull", "--platform", "linux/amd64", NAME + ":v1").run();
        assertThat(pull.exitCode()).as(pull.describe()).isZero();
    }

    /** Docker's record of the image names the upstream's index, and its Id is the amd64 image's config. */
    private void assertPulledImageIs(TestImage image, String pushed) {
        String inspected = docker("image", "inspect", "--format", "{{.Id}} {{json .RepoDigests}}", NAME + ":v1")
                .check().stdout().strip();
        assertThat(inspected).isEqualTo(image.platform("amd64").configDigest() + " [\"" + NAME + "@" + pushed + "\"]");
    }

    /** What a user asking the mirror by tag sees while its upstream is down: the cached index, and a Warning. */
    private static void assertCachedTagServedWithAWarning(TestRegistry mirror, String pushed)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> asked = RegistryEndpoint.of(mirror.base())
                .get("/v2/" + UPSTREAM_REPOSITORY + "/manifests/v1", TestImage.OCI_INDEX);
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.headers().firstValue("Docker-Content-Digest")).contains(pushed);
        assertThat(asked.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w).startsWith("110 "));
    }

    /** How often the mirror answered for {@code kind} ({@code manifest}, {@code blob}) with {@code result}. */
    private static double mirrorAnswers(TestRegistry mirror, String kind, String result) {
        return mirror.server().meters().find("wharf.mirror.requests").tags("kind", kind, "result", result)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private Command docker(String... args) {
        List<String> argv = new ArrayList<>(List.of(DOCKER.require().toString(), "-H", socket));
        argv.addAll(List.of(args));
        return Command.of(argv).env(Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString()))
                .timeout(Duration.ofMinutes(3));
    }
}
