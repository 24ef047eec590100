package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code proxy}: Distribution's single upstream, Wharf's several by prefix, and the environment overrides. */
class ProxyBindingTest {
    private static final String MINIMAL = "version: 0.1\nstorage:\n  inmemory: {}\n";

    private static ConfigResult load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(MINIMAL + yaml, "config.yml", env);
    }

    @Test
    void distributionsProxySection_mirrorsEveryRepositoryWithItsDefaults() {
        ConfigResult r = load("proxy:\n  remoteurl: https://registry-1.docker.io\n  username: me\n  password: pw\n",
                Map.of());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().proxy().upstreams()).containsExactly(new RegistryConfig.ProxyUpstream("",
                URI.create("https://registry-1.docker.io/"), "me", "pw", Duration.ofDays(7), Duration.ofMinutes(1),
                ""));
        assertThat(r.config().proxy().upstreams().get(0).toString()).doesNotContain("pw");
    }

    @Test
    void proxyFromTheEnvironment_asDistributionReadsIt() {
        ConfigResult r = load("", Map.of("REGISTRY_PROXY_REMOTEURL", "https://mirror.example",
                "REGISTRY_PROXY_TTL", "0s"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().proxy().upstreams()).singleElement().satisfies(u -> {
            assertThat(u.remoteUrl()).isEqualTo(URI.create("https://mirror.example/"));
            assertThat(u.ttl()).isZero();
        });
    }

    @Test
    void severalUpstreams_eachUnderItsPrefix() {
        ConfigResult r = load("""
                proxy:
                  tagttl: 5m
                  upstreams:
                    - prefix: dockerhub
                      remoteurl: https://registry-1.docker.io
                    - prefix: ghcr/
                      remoteurl: https://ghcr.io
                      username: bot
                      password: token
                      ttl: 24h
                      tagttl: 30s
                """, Map.of());
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().proxy().upstreams()).extracting(RegistryConfig.ProxyUpstream::prefix)
                .containsExactly("dockerhub", "ghcr");
        assertThat(r.config().proxy().upstreams().get(0).tagTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.config().proxy().upstreams().get(1).tagTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.config().proxy().upstreams().get(1).ttl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void badUpstreams_areErrors() {
        ConfigResult r = load("""
                proxy:
                  upstreams:
                    - prefix: Bad Prefix
                      remoteurl: https://a.example
                    - prefix: a
                      remoteurl: ftp://a.example
                    - prefix: b
                      remoteurl: https://b.example
                    - prefix: b
                      remoteurl: https://c.example
                """, Map.of());
        assertThat(r.errors()).anyMatch(e -> e.startsWith("proxy.upstreams[0].prefix"))
                .anyMatch(e -> e.startsWith("proxy.upstreams[1].remoteurl"))
                .anyMatch(e -> e.startsWith("proxy.upstreams[3].prefix") && e.contains("twice"));
    }

    @Test
    void aCapOnTheCache_asAnIntegerOrWithAUnit_andAWrongOneIsRefused() {
        ConfigResult r = load("proxy:\n  upstreams:\n    - prefix: a\n      remoteurl: https://a.example\n"
                + "      maxbytes: 20GiB\n    - prefix: b\n      remoteurl: https://b.example\n"
                + "      maxbytes: 1048576\n", Map.of());
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().proxy().upstreams()).extracting(RegistryConfig.ProxyUpstream::maxBytes)
                .containsExactly(20L << 30, 1L << 20);
        assertThat(load("proxy:\n  remoteurl: https://a.example\n  maxbytes: lots\n", Map.of()).errors())
                .anyMatch(e -> e.contains("proxy.maxbytes"));
    }
}
