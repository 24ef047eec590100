package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.auth.Htpasswd;
import io.wharf.config.AuthConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Docker daemon (Debian's {@code docker.io}, started by the test with its own directories and socket, vfs
 * storage, no iptables, no bridge) pulling from Wharf: anonymously through the built-in token server, after
 * {@code docker login}, and the refusal of a wrong password; and, as docs/AUTH.md says, not anonymously after an
 * htpasswd {@code Basic} challenge.
 */
@Tag("e2e")
class DockerClientTest {
    private static final ExternalTool DOCKERD = new ExternalTool("dockerd", "docker.io");
    private static final ExternalTool DOCKER = new ExternalTool("docker", "docker.io");

    @TempDir
    Path tmp;
    private Process daemon;
    private String socket;
    private ClientConfig clients;
    private TestImage image;
    private Path htpasswd;

    @BeforeEach
    void startDocker() throws Exception {
        Path dockerd = DOCKERD.require();
        DOCKER.require();
        ExternalTool.SKOPEO.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 11);
        htpasswd = tmp.resolve("htpasswd");
        Files.writeString(htpasswd, Htpasswd.line("alice", "alice-pw", 5) + "\n");
        Path d = Files.createDirectories(tmp.resolve("docker"));
        socket = "unix://" + d.resolve("docker.sock");
        daemon = new ProcessBuilder(dockerd.toString(), "--storage-driver", "vfs", "--iptables=false",
                "--bridge=none", "--data-root", d.resolve("data").toString(), "--exec-root",
                d.resolve("exec").toString(), "--pidfile", d.resolve("docker.pid").toString(), "-H", socket)
                .redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited: " + Files.readString(d.resolve("dockerd.log")));
            }
            if (docker("version", "--format", "{{.Server.Version}}").ok()) {
                return;
            }
            daemon.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("dockerd did not answer within 60 s: " + Files.readString(d.resolve("dockerd.log")));
    }

    @AfterEach
    void stopDocker() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
    }

    private Command.Result docker(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("docker", "-H", socket));
        argv.addAll(List.of(args));
        return Command.of(argv).env(Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString()))
                .timeout(Duration.ofMinutes(3)).run();
    }

    private static AuthConfig.Access publicPull() {
        return new AuthConfig.Access(Map.of(), "", List.of("public/**"),
                List.of(new AuthConfig.Rule(List.of("**"), List.of("alice"), List.of("alice"), List.of())),
                AuthConfig.FailedLogins.defaults());
    }

    private void push(TestRegistry wharf, String repo) {
        clients.skopeo("copy", "--all", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw",
                "oci:" + image.layout().dir() + ":v1", RegistryEndpoint.of(wharf.base()).docker(repo, "v1")).check();
    }

    @Test
    void tokenServer_anonymousDockerPull_thenLoginAndPush_andAWrongPasswordIsRefused() throws Exception {
        AuthConfig auth = new AuthConfig(Optional.empty(), Optional.empty(), publicPull(), Optional.of(
                new AuthConfig.TokenServer(htpasswd, tmp.resolve("token.key"), "wharf", "wharf-docker",
                        Duration.ofMinutes(5), Duration.ofDays(1))));
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("data"), c -> c.withAuth(auth))) {
            push(wharf, "public/app");
            String host = RegistryEndpoint.of(wharf.base()).hostPort();

            Command.Result pull = docker("pull", host + "/public/app:v1");
            assertThat(pull.exitCode()).as(pull.output()).isZero();

            Command.Result wrong = docker("login", "-u", "alice", "-p", "wrong", host);
            assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();
            Command.Result login = docker("login", "-u", "alice", "-p", "alice-pw", host);
            assertThat(login.exitCode()).as(login.output()).isZero();
            Command.Result tag = docker("tag", host + "/public/app:v1", host + "/team/copy:v1");
            assertThat(tag.exitCode()).as(tag.output()).isZero();
            Command.Result pushed = docker("push", host + "/team/copy:v1");
            assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        }
    }

    @Test
    void htpasswd_anonymousDockerPull_failsAsDocumented_butWorksAfterLogin() throws Exception {
        AuthConfig auth = new AuthConfig(Optional.of(new AuthConfig.Htpasswd("wharf-docker", htpasswd)),
                Optional.empty(), publicPull(), Optional.empty());
        try (TestRegistry wharf = TestRegistry.start(tmp.resolve("data"), c -> c.withAuth(auth))) {
            push(wharf, "public/app");
            String host = RegistryEndpoint.of(wharf.base()).hostPort();

            Command.Result anonymous = docker("pull", host + "/public/app:v1");
            assertThat(anonymous.exitCode()).as("Docker sends nothing without credentials after a Basic challenge: %s",
                    anonymous.output()).isNotZero();

            Command.Result login = docker("login", "-u", "alice", "-p", "alice-pw", host);
            assertThat(login.exitCode()).as(login.output()).isZero();
            Command.Result pull = docker("pull", host + "/public/app:v1");
            assertThat(pull.exitCode()).as(pull.output()).isZero();
        }
    }
}
