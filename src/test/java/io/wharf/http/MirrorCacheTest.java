package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror's cache with a cap on its bytes: the admin API reports what the upstream's repositories hold, and a
 * collection evicts the least recently pulled images (and manifests fetched only by digest) until the rest fits,
 * reclaiming their blobs, while what was pulled recently stays and is served with the upstream gone.
 */
class MirrorCacheTest {
    private static final int LAYER = 1 << 20;

    @TempDir
    Path dir;

    private record Pushed(Digest manifest, Digest layer) {
    }

    private static Pushed push(TestRegistry upstream, String repo, long seed) throws Exception {
        byte[] layer = new byte[LAYER];
        new Random(seed).nextBytes(layer);
        byte[] config = TestRegistry.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        Digest c = upstream.pushBlob(repo, config);
        Digest l = upstream.pushBlob(repo, layer);
        Digest m = upstream.pushManifest(repo, "v1", Manifests.OCI_MANIFEST, Manifests.ociManifest(
                Manifests.descriptor(Manifests.OCI_CONFIG, c, config.length),
                Manifests.descriptor(Manifests.OCI_LAYER, l, LAYER)));
        return new Pushed(m, l);
    }

    /** Pulls an image through the mirror as a client does: the manifest (by tag or digest), then the layer. */
    private static void pull(TestRegistry mirror, String repo, String reference, Pushed image) throws Exception {
        var m = mirror.get("/v2/up/" + repo + "/manifests/" + reference, "Accept", Manifests.OCI_MANIFEST);
        assertThat(m.statusCode()).as(TestRegistry.text(m)).isEqualTo(200);
        assertThat(TestRegistry.sha256(mirror.get("/v2/up/" + repo + "/blobs/" + image.layer()).body()))
                .isEqualTo(image.layer());
    }

    private static Path blobFile(Path root, Digest d) {
        return root.resolve("docker/registry/v2/blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex())
                .resolve("data");
    }

    @Test
    void overItsCap_theLeastRecentlyPulledAreEvicted_andTheRestIsServedWithoutTheUpstream() throws Exception {
        Path mirrorRoot = dir.resolve("mirror");
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"))) {
            Pushed a = push(upstream, "team/a", 1);
            Pushed b = push(upstream, "team/b", 2);
            Pushed c = push(upstream, "team/c", 3);
            Pushed d = push(upstream, "team/d", 4);
            // Room for two of the four images (each a little over 1 MiB with its manifest and config).
            long cap = 2 * LAYER + (LAYER / 2);
            RegistryConfig.Proxy proxy = new RegistryConfig.Proxy(List.of(new RegistryConfig.ProxyUpstream("up",
                    URI.create(upstream.base() + "/"), "", "", Duration.ZERO, Duration.ofMinutes(1), "", cap)),
                    dir.resolve("spool"), Duration.ofSeconds(10));
            try (TestRegistry mirror = TestRegistry.start(mirrorRoot, cfg -> cfg.withProxy(proxy)
                    .withLifecycle(new RegistryConfig.Lifecycle(new RegistryConfig.Gc(false, Duration.ofHours(24),
                            Duration.ZERO, false, false), List.of(), List.of(), RegistryConfig.Admin.defaults())))) {
                pull(mirror, "team/a", "v1", a);
                pull(mirror, "team/b", b.manifest().toString(), b); // by digest only: an untagged root
                pull(mirror, "team/c", "v1", c);
                pull(mirror, "team/d", "v1", d);
                pull(mirror, "team/a", "v1", a); // a is now the most recently used

                JsonNode usage = TestRegistry.json(mirror.get("/admin/mirror/usage")).path("upstreams").get(0);
                assertThat(usage.path("name").asText()).isEqualTo("up");
                assertThat(usage.path("bytes").asLong()).isGreaterThan(4L * LAYER).isLessThan(5L * LAYER);
                assertThat(usage.path("maxBytes").asLong()).isEqualTo(cap);
                assertThat(usage.path("repositories").asInt()).isEqualTo(4);
                assertThat(usage.path("roots").asInt()).isEqualTo(4);

                var gc = mirror.post("/admin/gc", new byte[0]);
                assertThat(gc.statusCode()).as(TestRegistry.text(gc)).isEqualTo(200);
                JsonNode report = TestRegistry.json(gc);
                assertThat(report.path("evicted").toString()).isEqualTo(
                        "[\"up/team/b@" + b.manifest() + "\",\"up/team/c:v1\"]");
                assertThat(report.path("blobsDeleted").toString()).contains(b.layer().toString(),
                        c.layer().toString()).doesNotContain(a.layer().toString(), d.layer().toString());
                assertThat(blobFile(mirrorRoot, b.layer())).doesNotExist();
                assertThat(blobFile(mirrorRoot, a.layer())).exists();
                assertThat(TestRegistry.json(mirror.get("/admin/mirror/usage")).path("upstreams").get(0)
                        .path("bytes").asLong()).isLessThanOrEqualTo(cap);
                assertThat(mirror.server().meters().find("wharf_mirror_evictions_total").tag("upstream", "up")
                        .counter().count()).isEqualTo(2);

                upstream.close();
                pull(mirror, "team/a", "v1", a);
                pull(mirror, "team/d", "v1", d);
                assertThat(Files.exists(blobFile(mirrorRoot, c.layer()))).isFalse();
            }
        }
    }
}
