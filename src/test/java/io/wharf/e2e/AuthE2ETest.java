package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.auth.Htpasswd;
import io.wharf.auth.TestPki;
import io.wharf.config.AuthConfig;
import io.wharf.config.TlsConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo and podman against Wharf over TLS with a test CA ({@code --cert-dir}, TLS verification on), with
 * {@code --creds} and with {@code login}: htpasswd auth, and the built-in token server with access rules.
 */
@Tag("e2e")
class AuthE2ETest {
    @TempDir
    Path tmp;

    ClientConfig clients;
    TestImage image;
    Path certDir;
    TestPki.Files serverCert;
    Path htpasswd;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.SKOPEO.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
        image = TestImage.write(tmp.resolve("source"), "v1", 7);
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.ca("Wharf E2E CA");
        serverCert = pki.server(ca, TestPki.ec()).written(tmp.resolve("tls"), "server");
        certDir = tmp.resolve("certs");
        Files.createDirectories(certDir);
        Files.writeString(certDir.resolve("ca.crt"), io.wharf.auth.PemFiles.pem(ca.certificate()));
        htpasswd = tmp.resolve("htpasswd");
        Files.writeString(htpasswd, Htpasswd.line("alice", "alice-pw", 5) + "\n" + Htpasswd.line("carol", "carol-pw", 5)
                + "\n");
    }

    private TestRegistry start(AuthConfig auth) throws Exception {
        return TestRegistry.start(tmp.resolve("data"), c -> c.withAuth(auth)
                .withHttp(c.http().withTls(TlsConfig.of(serverCert.certificate(), serverCert.key()))));
    }

    private static AuthConfig.Access carolPullsOnly() {
        return new AuthConfig.Access(Map.of(), "", List.of(), List.of(new AuthConfig.Rule(List.of("team/**"),
                List.of("carol"), List.of("alice"), List.of())), AuthConfig.FailedLogins.defaults());
    }

    @Test
    void htpasswd_skopeoWithCredsAndWithLogin_overVerifiedTls() throws Exception {
        AuthConfig auth = new AuthConfig(Optional.of(new AuthConfig.Htpasswd("wharf-e2e", htpasswd)),
                Optional.empty(), carolPullsOnly(), Optional.empty());
        try (TestRegistry wharf = start(auth)) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            clients.skopeo("copy", "--all", "--dest-cert-dir", certDir.toString(), "--dest-creds", "alice:alice-pw",
                    "oci:" + image.layout().dir() + ":v1", ep.docker("team/app", "v1")).check();

            Command.Result wrong = clients.skopeo("copy", "--all", "--dest-cert-dir", certDir.toString(),
                    "--dest-creds", "alice:wrong", "oci:" + image.layout().dir() + ":v1", ep.docker("team/x", "v1"))
                    .run();
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.stderr().toLowerCase()).contains("unauthorized");

            Command.Result denied = clients.skopeo("copy", "--all", "--dest-cert-dir", certDir.toString(),
                    "--dest-creds", "carol:carol-pw", "oci:" + image.layout().dir() + ":v1", ep.docker("team/y", "v1"))
                    .run();
            assertThat(denied.exitCode()).isNotZero();

            clients.skopeo("login", "--cert-dir", certDir.toString(), "-u", "carol", "-p", "carol-pw",
                    ep.hostPort()).check();
            clients.skopeo("copy", "--all", "--src-cert-dir", certDir.toString(), ep.docker("team/app", "v1"),
                    "oci:" + tmp.resolve("pulled") + ":v1").check();
            Skopeo.assertSameImage(image.layout(), "v1", OciLayout.open(tmp.resolve("pulled")), "v1");
        }
    }

    @Test
    void tokenServer_skopeoAndPodmanLogin_pushAndPull_withRulesInTheTokens() throws Exception {
        AuthConfig auth = new AuthConfig(Optional.empty(), Optional.empty(), carolPullsOnly(), Optional.of(
                new AuthConfig.TokenServer(htpasswd, tmp.resolve("token.key"), "wharf", "wharf-e2e",
                        Duration.ofMinutes(5), Duration.ofDays(1))));
        try (TestRegistry wharf = start(auth)) {
            RegistryEndpoint ep = RegistryEndpoint.of(wharf.base());
            clients.skopeo("login", "--cert-dir", certDir.toString(), "-u", "alice", "-p", "alice-pw",
                    ep.hostPort()).check();
            clients.skopeo("copy", "--all", "--dest-cert-dir", certDir.toString(),
                    "oci:" + image.layout().dir() + ":v1", ep.docker("team/app", "v1")).check();
            assertThat(clients.skopeo("login", "--cert-dir", certDir.toString(), "-u", "alice", "-p", "nope",
                    ep.hostPort()).run().exitCode()).isNotZero();

            Command.Result carolPush = clients.skopeo("copy", "--all", "--dest-cert-dir", certDir.toString(),
                    "--dest-creds", "carol:carol-pw", "oci:" + image.layout().dir() + ":v1",
                    ep.docker("team/other", "v1")).run();
            assertThat(carolPush.exitCode()).as(carolPush.stderr()).isNotZero();

            ExternalTool.PODMAN.require();
            Podman podman = Podman.create(tmp.resolve("podman"), clients);
            podman.check("login", "--cert-dir", certDir.toString(), "-u", "carol", "-p", "carol-pw", ep.hostPort());
            podman.check("pull", "--cert-dir", certDir.toString(), "--platform", "linux/arm64",
                    ep.hostPort() + "/team/app:v1");
            podman.check("logout", ep.hostPort());
            podman.check("pull", "--cert-dir", certDir.toString(), "--creds", "alice:alice-pw", "--platform",
                    "linux/amd64", ep.hostPort() + "/team/app:v1");
            podman.check("tag", ep.hostPort() + "/team/app:v1", ep.hostPort() + "/team/copy:v1");
            podman.check("push", "--cert-dir", certDir.toString(), "--creds", "alice:alice-pw",
                    ep.hostPort() + "/team/copy:v1");
            assertThat(podman.command("push", "--cert-dir", certDir.toString(), "--creds", "carol:carol-pw",
                    ep.hostPort() + "/team/copy:v1").run().exitCode()).isNotZero();
        }
    }
}
