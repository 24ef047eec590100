package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.ConfigLoader;
import io.wharf.config.RegistryConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code proxy.ttl} becomes a retention rule per mirrored prefix, with a scheduled collection to apply it. */
class MirrorExpiryTest {
    private static RegistryConfig load(String yaml) {
        var r = ConfigLoader.load("version: 0.1\nstorage:\n  inmemory: {}\n" + yaml, "config.yml", Map.of());
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    @Test
    void eachUpstreamWithATtl_keepsOnlyWhatWasPulledWithinIt() {
        RegistryConfig c = MirrorExpiry.apply(load("""
                proxy:
                  upstreams:
                    - prefix: dockerhub
                      remoteurl: https://registry-1.docker.io
                      ttl: 72h
                    - prefix: ghcr
                      remoteurl: https://ghcr.io
                      ttl: 0s
                """));
        assertThat(c.lifecycle().retention()).containsExactly(
                new RegistryConfig.RetentionRule("dockerhub/**", -1, Duration.ofHours(72), java.util.List.of()));
        assertThat(c.lifecycle().gc().enabled()).isTrue();
        assertThat(c.lifecycle().gc().interval()).isEqualTo(MirrorExpiry.DEFAULT_INTERVAL);
    }

    @Test
    void distributionsSingleUpstream_expiresEveryRepository_andAConfiguredScheduleIsKept() {
        RegistryConfig c = MirrorExpiry.apply(load("""
                proxy:
                  remoteurl: https://registry-1.docker.io
                gc:
                  enabled: true
                  interval: 6h
                """));
        assertThat(c.lifecycle().retention()).singleElement().satisfies(r -> {
            assertThat(r.repositories()).isEqualTo("**");
            assertThat(r.keepWithin()).isEqualTo(Duration.ofDays(7));
        });
        assertThat(c.lifecycle().gc().interval()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void withoutAMirror_theConfigurationIsUnchanged() {
        RegistryConfig c = load("");
        assertThat(MirrorExpiry.apply(c)).isSameAs(c);
    }
}
