package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Distribution's auth and TLS keys, and Wharf's access, tokenserver and cors sections. */
class AuthBindingTest {
    private static final String BASE = "version: 0.1\nstorage: inmemory\n";

    private static ConfigResult load(String yaml) {
        return ConfigLoader.load(BASE + yaml, "config.yml", Map.of());
    }

    @Test
    void noAuth_isOpen_asWithoutAConfigFile() {
        assertThat(load("").config().auth().open()).isTrue();
        assertThat(ConfigLoader.load(null, "defaults", Map.of()).config().auth().open()).isTrue();
    }

    @Test
    void htpasswd_isBound_andEnvironmentOverridesWork() {
        ConfigResult r = ConfigLoader.load(BASE + "auth:\n  htpasswd:\n    realm: r\n    path: /a\n", "c.yml",
                Map.of("REGISTRY_AUTH_HTPASSWD_PATH", "/etc/wharf/htpasswd"));
        assertThat(r.config().auth().htpasswd()).contains(new AuthConfig.Htpasswd("r", Path.of("/etc/wharf/htpasswd")));
        assertThat(load("auth:\n  htpasswd:\n    realm: r\n").errors()).containsExactly("auth.htpasswd.path is required");
    }

    @Test
    void token_needsKeys_andRefusesHmac() {
        AuthConfig.Token t = load("auth:\n  token:\n    realm: https://a/token\n    service: s\n    issuer: i\n"
                + "    rootcertbundle: /b.pem\n    signingalgorithms: [ES256]\n").config().auth().token().orElseThrow();
        assertThat(t.rootCertBundle()).contains(Path.of("/b.pem"));
        assertThat(t.signingAlgorithms()).containsExactly("ES256");
        assertThat(load("auth:\n  token:\n    realm: r\n    service: s\n    issuer: i\n").errors())
                .singleElement().asString().contains("set rootcertbundle or jwks");
        assertThat(load("auth:\n  token:\n    realm: r\n    service: s\n    issuer: i\n    jwks: /k\n"
                + "    signingalgorithms: [HS256, none]\n").errors()).hasSize(2);
    }

    @Test
    void accessRulesAndTokenServer_areBound() {
        ConfigResult r = load("""
                tokenserver:
                  htpasswd: /etc/wharf/htpasswd
                  key: /var/lib/wharf/token.key
                  service: registry.example.com
                  expiration: 10m
                access:
                  admingroup: admins
                  groups:
                    admins: [root]
                    team-a: [alice, bob]
                  anonymous:
                    pull: ["public/**"]
                  rules:
                    - repositories: ["team-a/**"]
                      pull: [carol]
                      push: ["group:team-a"]
                  failedlogins:
                    free: 3
                    maxdelay: 1m
                """);
        assertThat(r.errors()).isEmpty();
        AuthConfig auth = r.config().auth();
        assertThat(auth.tokenServer().orElseThrow()).isEqualTo(new AuthConfig.TokenServer(
                Path.of("/etc/wharf/htpasswd"), Path.of("/var/lib/wharf/token.key"), "wharf", "registry.example.com",
                Duration.ofMinutes(10), Duration.ofDays(30)));
        assertThat(auth.access().groups()).containsEntry("team-a", List.of("alice", "bob"));
        assertThat(auth.access().rules()).containsExactly(new AuthConfig.Rule(List.of("team-a/**"),
                List.of("carol"), List.of("group:team-a"), List.of()));
        assertThat(auth.access().failedLogins()).isEqualTo(new AuthConfig.FailedLogins(3, Duration.ofSeconds(1),
                Duration.ofMinutes(1)));
    }

    @Test
    void inconsistentAccessConfiguration_isReportedAllAtOnce() {
        assertThat(load("access:\n  admingroup: ghosts\n  rules:\n    - repositories: [a]\n"
                + "      push: [\"group:nobody\"]\n").errors()).hasSize(3)
                .anyMatch(e -> e.startsWith("access.admingroup"))
                .anyMatch(e -> e.contains("group:nobody"))
                .anyMatch(e -> e.startsWith("access: rules need users"));
        assertThat(load("auth:\n  htpasswd: {realm: r, path: /p}\ntokenserver:\n  htpasswd: /h\n  key: /k\n")
                .errors()).anyMatch(e -> e.startsWith("tokenserver: cannot be combined with auth.htpasswd"));
        assertThat(load("auth:\n  htpasswd: {realm: r, path: /p}\n  token: {realm: r, service: s, issuer: i, "
                + "jwks: /j}\n").errors()).anyMatch(e -> e.startsWith("auth: exactly one auth provider"));
    }

    @Test
    void tlsAndCors_areBound_andUnverifiedClientAuthIsRefused() {
        RegistryConfig.Http http = load("""
                http:
                  tls:
                    certificate: /c.pem
                    key: /k.pem
                    clientcas: [/ca.pem]
                    clientauth: verify-client-cert-if-given
                    minimumtls: tls1.3
                    ciphersuites: [TLS_AES_128_GCM_SHA256]
                  http2:
                    disabled: true
                  cors:
                    allowedorigins: [https://ui.example]
                """).config().http();
        assertThat(http.tls()).isEqualTo(new TlsConfig(java.util.Optional.of(Path.of("/c.pem")),
                java.util.Optional.of(Path.of("/k.pem")), List.of(Path.of("/ca.pem")), TlsConfig.VERIFY_IF_GIVEN,
                "tls1.3", List.of("TLS_AES_128_GCM_SHA256")));
        assertThat(http.tls().protocols()).containsExactly("TLSv1.3");
        assertThat(http.http2Disabled()).isTrue();
        assertThat(http.cors().allowedOrigins()).containsExactly("https://ui.example");
        assertThat(load("http:\n  tls:\n    certificate: /c\n    key: /k\n    clientauth: require-any-client-cert\n")
                .errors()).singleElement().asString().contains("without verifying them is not supported");
        assertThat(load("http:\n  tls:\n    certificate: /c\n").errors()).singleElement().asString()
                .contains("certificate and key must both be set");
        assertThat(load("http:\n  tls:\n    certificate: /c\n    key: /k\n    minimumtls: ssl3\n").errors())
                .singleElement().asString().startsWith("http.tls.minimumtls");
    }
}
