package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.ConfigLoader;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.CachePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each upstream becomes a cache policy (its {@code ttl} and {@code maxbytes}), with a collection scheduled to apply it. */
class MirrorExpiryTest {
    private static RegistryConfig load(String yaml) {
        var r = ConfigLoader.load("version: 0.1\nstorage:\n  inmemory: {}\n" + yaml, "config.yml", Map.of());
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    @Test
    void eachUpstreamIsACache_withItsTtlAndCap_andACollectionIsScheduled() {
        RegistryConfig c = load("""
                proxy:
                  upstreams:
                    - prefix: dockerhub
                      remoteurl: https://registry-1.docker.io
                      ttl: 72h
                      maxbytes: 50GiB
                    - prefix: ghcr
                      remoteurl: https://ghcr.io
                      ttl: 0s
                """);
        List<CachePolicy> caches = MirrorExpiry.caches(c);
        assertThat(caches).hasSize(2);
        assertThat(caches.get(0).name()).isEqualTo("dockerhub");
        assertThat(caches.get(0).repositories().matches("dockerhub/library/nginx")).isTrue();
        assertThat(caches.get(0).repositories().matches("local/app")).isFalse();
        assertThat(caches.get(0).ttl()).isEqualTo(Duration.ofHours(72));
        assertThat(caches.get(0).maxBytes()).isEqualTo(50L << 30);
        assertThat(caches.get(1).limits()).isFalse();
        RegistryConfig applied = MirrorExpiry.apply(c);
        assertThat(applied.lifecycle().gc().enabled()).isTrue();
        assertThat(applied.lifecycle().gc().interval()).isEqualTo(MirrorExpiry.CAPPED_INTERVAL);
        assertThat(applied.lifecycle().retention()).isEmpty();
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
        assertThat(MirrorExpiry.caches(c)).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("registry-1.docker.io");
            assertThat(p.repositories().matches("any/repo")).isTrue();
            assertThat(p.ttl()).isEqualTo(Duration.ofDays(7));
            assertThat(p.maxBytes()).isZero();
        });
        assertThat(c.lifecycle().gc().interval()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void withOnlyATtl_theCollectionRunsHourly() {
        RegistryConfig c = MirrorExpiry.apply(load("proxy:\n  remoteurl: https://registry-1.docker.io\n"));
        assertThat(c.lifecycle().gc().interval()).isEqualTo(MirrorExpiry.DEFAULT_INTERVAL);
    }

    @Test
    void withoutAMirror_theConfigurationIsUnchanged() {
        RegistryConfig c = load("");
        assertThat(MirrorExpiry.apply(c)).isSameAs(c);
    }
}
