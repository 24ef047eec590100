package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleConfigTest {
    private static final String BASE = """
            version: 0.1
            storage:
              inmemory:
            """;

    private static ConfigResult load(String extra) {
        return ConfigLoader.load(BASE + extra, "config.yml", Map.of());
    }

    @Test
    void defaults_whenTheSectionsAreAbsent() {
        RegistryConfig.Lifecycle l = load("").config().lifecycle();
        assertThat(l.gc()).isEqualTo(RegistryConfig.Gc.defaults());
        assertThat(l.retention()).isEmpty();
        assertThat(l.immutableTags()).isEmpty();
        assertThat(l.admin()).isEqualTo(new RegistryConfig.Admin(true, false));
    }

    @Test
    void everySection_isBound() {
        ConfigResult r = load("""
                gc:
                  enabled: true
                  interval: 6h
                  graceperiod: 30m
                  deleteuntagged: true
                retention:
                  - repositories: "team/**"
                    keeplast: 10
                    keepwithin: 720h
                    protect: [latest, "release-*"]
                immutabletags: ["v*"]
                admin:
                  allowremote: true
                """);

        assertThat(r.errors()).isEmpty();
        RegistryConfig.Lifecycle l = r.config().lifecycle();
        assertThat(l.gc()).isEqualTo(new RegistryConfig.Gc(true, Duration.ofHours(6), Duration.ofMinutes(30), true,
                false));
        assertThat(l.retention()).containsExactly(new RegistryConfig.RetentionRule("team/**", 10,
                Duration.ofHours(720), List.of("latest", "release-*")));
        assertThat(l.immutableTags()).containsExactly("v*");
        assertThat(l.admin().allowRemote()).isTrue();
    }

    @Test
    void environmentOverrides_reachWharfSections() {
        ConfigResult r = ConfigLoader.load(BASE, "config.yml", Map.of("REGISTRY_GC_GRACEPERIOD", "2h",
                "REGISTRY_GC_ENABLED", "true"));
        assertThat(r.config().lifecycle().gc().gracePeriod()).isEqualTo(Duration.ofHours(2));
        assertThat(r.config().lifecycle().gc().enabled()).isTrue();
    }

    @Test
    void badValues_areAllReportedAtOnce() {
        ConfigResult r = load("""
                gc:
                  interval: 0s
                  graceperiod: -1h
                  unknown: 1
                retention:
                  - keeplast: -3
                  - repositories: "*"
                immutabletags: [""]
                """);

        assertThat(r.valid()).isFalse();
        assertThat(String.join("\n", r.errors())).contains("gc.interval", "gc.graceperiod",
                "retention[0].repositories", "retention[0].keeplast", "immutabletags[0]");
        assertThat(String.join("\n", r.errors()) + String.join("\n", r.warnings())).contains("gc.unknown");
        assertThat(String.join("\n", r.warnings())).contains("retention[1]", "keeps every tag");
    }
}
