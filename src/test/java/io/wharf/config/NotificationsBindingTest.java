package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code notifications} with Distribution's keys and defaults, and Wharf's queue keys. */
class NotificationsBindingTest {
    private static ConfigResult load(String yaml) {
        return ConfigLoader.load("version: 0.1\nstorage:\n  inmemory: {}\n" + yaml, "config.yml", Map.of());
    }

    @Test
    void distributionsKeys_withTheirDefaults() {
        ConfigResult r = load("""
                notifications:
                  events:
                    includereferences: true
                  endpoints:
                    - name: alistener
                      disabled: false
                      url: https://my.listener.com/event
                      headers: {Authorization: [Bearer token]}
                      timeout: 500ms
                      threshold: 5
                      backoff: 1s
                      ignoredmediatypes: [application/octet-stream]
                      ignore:
                        mediatypes: [application/vnd.oci.image.config.v1+json]
                        actions: [pull]
                    - name: second
                      url: http://127.0.0.1:9000/hook
                      disabled: true
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        RegistryConfig.Notifications n = r.config().notifications();
        assertThat(n.includeReferences()).isTrue();
        assertThat(n.endpoints()).hasSize(2);
        assertThat(n.active()).singleElement().isEqualTo(new RegistryConfig.Endpoint("alistener",
                URI.create("https://my.listener.com/event"), Map.of("Authorization", List.of("Bearer token")),
                Duration.ofMillis(500), 5, Duration.ofSeconds(1), false,
                Set.of("application/octet-stream", "application/vnd.oci.image.config.v1+json"), Set.of("pull")));
        assertThat(n.endpoints().get(1).timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(n.endpoints().get(1).threshold()).isEqualTo(10);
        assertThat(n.queueDirectory()).isEqualTo(Path.of("/var/lib/wharf/notifications"));
        assertThat(n.maxEvents()).isEqualTo(100_000);
        assertThat(n.active().get(0).toString()).doesNotContain("Bearer");
    }

    @Test
    void queueKeys() {
        ConfigResult r = load("notifications:\n  queue:\n    directory: /srv/wharf/events\n    maxevents: 500\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().notifications().queueDirectory()).isEqualTo(Path.of("/srv/wharf/events"));
        assertThat(r.config().notifications().maxEvents()).isEqualTo(500);
    }

    @Test
    void badEndpoints() {
        ConfigResult r = load("""
                notifications:
                  queue:
                    directory: /srv/wharf/events
                    maxevents: 500
                  endpoints:
                    - name: a
                      url: ftp://nope
                    - name: b
                      url: https://b.example
                    - name: b
                      url: https://c.example
                """);
        assertThat(r.errors()).anyMatch(e -> e.startsWith("notifications.endpoints[0].url"))
                .anyMatch(e -> e.startsWith("notifications.endpoints[2].name"));
    }
}
