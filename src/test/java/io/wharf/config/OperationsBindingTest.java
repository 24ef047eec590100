package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code http.debug} and {@code health} with Distribution's keys, defaults and environment overrides. */
class OperationsBindingTest {
    private static final String MINIMAL = "version: 0.1\nstorage:\n  inmemory: {}\n";

    private static ConfigResult load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(MINIMAL + yaml, "config.yml", env);
    }

    @Test
    void absent_meansNoDebugListenerAndNoChecks() {
        RegistryConfig config = load("", Map.of()).config();
        assertThat(config.operations().debug().enabled()).isFalse();
        assertThat(config.operations().health().any()).isFalse();
    }

    @Test
    void debugListener_withPrometheusAtTheDefaultPath() {
        ConfigResult r = load("http:\n  debug:\n    addr: :5001\n    prometheus:\n      enabled: true\n", Map.of());
        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().operations().debug()).isEqualTo(new RegistryConfig.Debug(":5001", true, "/metrics"));
    }

    @Test
    void debugListener_fromTheEnvironment() {
        ConfigResult r = load("", Map.of("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:5001",
                "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true", "REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "/prom"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().operations().debug())
                .isEqualTo(new RegistryConfig.Debug("127.0.0.1:5001", true, "/prom"));
    }

    @Test
    void healthChecks_withDistributionsDefaults() {
        ConfigResult r = load("""
                health:
                  storagedriver:
                    enabled: true
                  file:
                    - file: /etc/registry/down
                  http:
                    - uri: http://upstream:8080/health
                      headers:
                        Authorization: [Basic abc]
                      threshold: 3
                  tcp:
                    - addr: redis:6379
                      timeout: 3s
                      interval: 30s
                """, Map.of());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        RegistryConfig.Health h = r.config().operations().health();
        Duration ten = Duration.ofSeconds(10);
        assertThat(h.storage()).isEqualTo(new RegistryConfig.StorageCheck(true, ten, 1));
        assertThat(h.files()).containsExactly(new RegistryConfig.FileCheck(Path.of("/etc/registry/down"), ten, 1));
        assertThat(h.http()).containsExactly(new RegistryConfig.HttpCheck(URI.create("http://upstream:8080/health"),
                Map.of("Authorization", List.of("Basic abc")), 200, ten, ten, 3));
        assertThat(h.tcp()).containsExactly(new RegistryConfig.TcpCheck("redis:6379", Duration.ofSeconds(3),
                Duration.ofSeconds(30), 1));
    }

    @Test
    void badChecks_areErrorsNamingTheKey() {
        ConfigResult r = load("""
                health:
                  http:
                    - uri: ftp://nowhere
                  tcp:
                    - addr: nohost
                  file:
                    - interval: 5s
                """, Map.of());
        assertThat(r.errors()).anyMatch(e -> e.startsWith("health.http[0].uri"))
                .anyMatch(e -> e.startsWith("health.tcp[0].addr")).anyMatch(e -> e.startsWith("health.file[0].file"));
    }
}
