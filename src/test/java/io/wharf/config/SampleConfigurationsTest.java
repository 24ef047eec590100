package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sample configurations of Distribution and of Debian's docker-registry package, kept under
 * {@code src/test/resources/config}: each loads with only the warnings (and, where a sample uses a section this
 * version refuses, only the errors) that are expected.
 */
class SampleConfigurationsTest {

    private static ConfigResult loadSample(String name) {
        return ConfigLoader.loadFile(Path.of("src/test/resources/config", name), Map.of());
    }

    @Test
    void distributionsConfigExample_loadsWithoutWarnings_andChecksItsStorage() {
        ConfigResult result = loadSample("distribution-config-example.yml");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(result.config().operations().health().storage()).isEqualTo(
                new RegistryConfig.StorageCheck(true, java.time.Duration.ofSeconds(10), 3));
        assertThat(result.config().storage().rootDirectory()).contains(Path.of("/var/lib/registry"));
        assertThat(result.config().storage().blobDescriptorCache()).isEqualTo("inmemory");
        assertThat(result.config().http().addr()).isEqualTo(":5000");
        assertThat(result.config().http().headers()).containsExactly(
                Map.entry("X-Content-Type-Options", List.of("nosniff")));
        assertThat(result.config().log().fields()).containsExactly(Map.entry("service", "registry"));
    }

    @Test
    void debiansConfig_loadsWithItsHtpasswdAuth() {
        ConfigResult result = loadSample("debian-config.yml");

        assertThat(result.warnings()).isEmpty();
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().auth().htpasswd()).contains(
                new AuthConfig.Htpasswd("basic-realm", Path.of("/etc/docker/registry")));
    }

    @Test
    void debiansConfigWithoutItsAuthSection_loads() throws Exception {
        String text = Files.readString(Path.of("src/test/resources/config/debian-config.yml"));
        String withoutAuth = text.replace("auth:\n  htpasswd:\n    realm: basic-realm\n    path: /etc/docker/registry\n",
                "");

        ConfigResult result = ConfigLoader.load(withoutAuth, "debian-config.yml", Map.of());

        assertThat(withoutAuth).doesNotContain("auth");
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().storage().rootDirectory()).contains(Path.of("/var/lib/docker-registry"));
        assertThat(result.config().storage().deleteEnabled()).isTrue();
    }

    @Test
    void distributionV3ConfigExample_loadsWithItsHtpasswdAuth() {
        ConfigResult result = loadSample("distribution-v3-config-example.yml");

        assertThat(result.warnings()).isEmpty();
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().auth().htpasswd()).isPresent();
    }

    @Test
    void docsDevelopmentExample_loadsWithItsDebugListener() {
        ConfigResult result = loadSample("docs-development.yml");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(result.config().operations().debug().enabled()).isTrue();
        assertThat(result.config().log().level()).isEqualTo("debug");
        assertThat(result.config().http().secret()).isEqualTo("asecretforlocaldevelopment");
    }

    @Test
    void docsReferenceListing_parsesEveryKeyAndReportsOnlyItsMutuallyExclusiveAndRefusedParts() {
        ConfigResult result = loadSample("docs-reference-listing.yml");

        assertThat(result.warnings()).noneMatch(w -> w.contains("unknown key"));
        assertThat(result.errors()).hasSize(10).noneMatch(e -> e.startsWith("storage.s3"))
                // the listing shows every alternative at once; its text says they are mutually exclusive
                .anyMatch(e -> e.startsWith("storage: exactly one storage driver"))
                .anyMatch(e -> e.startsWith("storage.azure: storage driver azure is not supported yet"))
                .anyMatch(e -> e.startsWith("storage.gcs: storage driver gcs is not supported yet"))
                .anyMatch(e -> e.startsWith("auth: exactly one auth provider may be configured"))
                .anyMatch(e -> e.startsWith("auth.silly: auth provider silly is not supported"))
                // Wharf refuses HMAC token signatures: a registry verifying them would need the issuer's secret
                .anyMatch(e -> e.startsWith("auth.token.signingalgorithms: \"HS256\" is not allowed"))
                .anyMatch(e -> e.startsWith("http.tls.letsencrypt: Let's Encrypt is not supported yet"))
                // placeholders, which Distribution rejects too
                .anyMatch(e -> e.startsWith("notifications.endpoints[0].headers: expected a mapping"))
                .anyMatch(e -> e.startsWith("proxy.username: expected a string, got a list"))
                .anyMatch(e -> e.startsWith("proxy.password: expected a string, got a list"));
    }

    @Test
    void docsReferenceWithOneChoiceEach_loadsWithOnlyTheExpectedWarnings() {
        ConfigResult result = loadSample("docs-reference-one-choice.yml");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).map(w -> w.substring(0, w.indexOf(':'))).containsExactlyInAnyOrder(
                "loglevel", "storage.cache.blobdescriptor",
                "redis", "middleware", "log.hooks");
        RegistryConfig config = result.config();
        assertThat(config.log().level()).isEqualTo("debug");
        assertThat(config.storage().tagConcurrencyLimit()).isEqualTo(8);
        assertThat(config.http().prefix()).isEqualTo("/my/nested/registry/");
        assertThat(config.validation().indexes().platforms()).isEqualTo("list");
    }
}
