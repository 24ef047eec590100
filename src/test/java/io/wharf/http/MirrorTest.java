package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wharf as a pull-through cache of another Wharf that wants a token from its built-in token server (credentials
 * configured on the mirror), beside ordinary local repositories: what a client pulls through the mirror equals the
 * upstream's content, one fetch serves many clients, pushes into mirrored repositories are refused, and the cache
 * answers while the upstream is gone.
 */
class MirrorTest {
    @TempDir
    Path dir;
    private TestRegistry upstream;
    private TestRegistry mirror;

    @AfterEach
    void stop() throws Exception {
        if (mirror != null) {
            mirror.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void start(Duration tagTtl) throws Exception {
        upstream = TestRegistry.start(dir.resolve("up"), new Setup(Setup.Driver.FILESYSTEM, Setup.Auth.TOKEN),
                dir.resolve("up-auth"));
        RegistryConfig.Proxy proxy = new RegistryConfig.Proxy(List.of(new RegistryConfig.ProxyUpstream("upstream",
                URI.create(upstream.base() + "/"), Setup.USER, Setup.PASSWORD, Duration.ofDays(7), tagTtl,
                "upstream.example")), dir.resolve("spool"), Duration.ofSeconds(10));
        mirror = TestRegistry.start(dir.resolve("mirror"), c -> c.withProxy(proxy));
    }

    @Test
    void pullsThroughTheMirrorEqualTheUpstreamAndAreKept() throws Exception {
        start(Duration.ofMinutes(1));
        TestRegistry.Image image = upstream.pushImage("team/app", "v1");

        var manifest = mirror.get("/v2/upstream/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
        assertThat(manifest.statusCode()).as(TestRegistry.text(manifest)).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(image.digest().toString());
        assertThat(TestRegistry.text(manifest)).isEqualTo(image.manifest());
        byte[] layer = upstream.get("/v2/team/app/blobs/" + image.layer()).body();
        var blob = mirror.get("/v2/upstream/team/app/blobs/" + image.layer());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(layer);
        assertThat(mirror.head("/v2/upstream/team/app/blobs/" + image.config()).statusCode()).isEqualTo(200);

        // containerd's hosts.toml mirror: the upstream chosen by ?ns=.
        var viaNs = mirror.get("/v2/team/app/manifests/v1?ns=upstream.example", "Accept", Manifests.OCI_MANIFEST);
        assertThat(viaNs.statusCode()).isEqualTo(200);
        assertThat(viaNs.headers().firstValue("Docker-Content-Digest")).contains(image.digest().toString());

        // Kept: with the upstream gone, what was pulled is still served, manifest and blob.
        upstream.close();
        upstream = null;
        assertThat(mirror.get("/v2/upstream/team/app/blobs/" + image.layer()).body()).isEqualTo(layer);
        assertThat(mirror.get("/v2/upstream/team/app/manifests/" + image.digest(), "Accept", Manifests.OCI_MANIFEST)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheUpstreamIsDown_theCachedTagIsServedWithAWarning_andUncachedContentGets503() throws Exception {
        start(Duration.ZERO);
        TestRegistry.Image image = upstream.pushImage("team/app", "v1");
        assertThat(mirror.get("/v2/upstream/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        upstream.pushImage("team/app", "v2");
        upstream.close();
        upstream = null;

        var stale = mirror.get("/v2/upstream/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("Docker-Content-Digest")).contains(image.digest().toString());
        assertThat(stale.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w).startsWith("110 "));

        var missing = mirror.get("/v2/upstream/team/app/manifests/v2", "Accept", Manifests.OCI_MANIFEST);
        assertThat(missing.statusCode()).isEqualTo(503);
        assertThat(TestRegistry.json(missing).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(TestRegistry.json(missing).at("/errors/0/message").asText() + TestRegistry.text(missing))
                .contains("127.0.0.1");

        // Tags: the cached repository lists what it has; one never pulled is unavailable, not empty.
        assertThat(TestRegistry.text(mirror.get("/v2/upstream/team/app/tags/list"))).contains("\"v1\"");
        var unknown = mirror.get("/v2/upstream/team/other/tags/list");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(TestRegistry.json(unknown).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void mirroredRepositoriesRefusePushes_localOnesTakeThem() throws Exception {
        start(Duration.ofMinutes(1));
        var refused = mirror.post("/v2/upstream/team/app/blobs/uploads/", null);
        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(TestRegistry.json(refused).at("/errors/0/code").asText()).isEqualTo("UNSUPPORTED");
        TestRegistry.Image local = mirror.pushImage("local/app", "v1");
        assertThat(mirror.get("/v2/local/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST).statusCode())
                .isEqualTo(200);
        assertThat(local.digest()).isNotNull();
        var unknown = mirror.get("/v2/upstream/team/none/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestRegistry.json(unknown).at("/errors/0/code").asText()).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void manyClientsAskingForOneUncachedBlob_causeOneUpstreamFetch() throws Exception {
        start(Duration.ofMinutes(1));
        // 512 MiB, generated as it is sent: the test holds no layer in memory, and neither may the mirror.
        Digest digest = upstream.pushGenerated("team/big", 7, 512L << 20);
        int clients = 32;
        java.util.concurrent.Callable<Digest> pull = () -> {
            // Each client hashes as it reads, as a real one does, rather than holding the blob.
            HttpResponse<java.io.InputStream> r = mirror.client().send(mirror.request("/v2/upstream/team/big/blobs/"
                    + digest).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            try (var in = new java.security.DigestInputStream(r.body(), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return Digest.of(Digest.Algorithm.SHA256, sha.digest());
        };
        List<Future<Digest>> pulls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pulls.add(pool.submit(pull));
            }
            for (Future<Digest> f : pulls) {
                assertThat(f.get()).isEqualTo(digest);
            }
        }
        double upstreamGets = upstream.server().meters().find("registry.http.requests")
                .tags("handler", "blob", "method", "get", "code", "200").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(upstreamGets).as("GETs of the blob the upstream answered").isEqualTo(1);
        // Kept: the next pull comes from the mirror's storage.
        assertThat(pull.call()).isEqualTo(digest);
        assertThat(upstream.server().meters().find("registry.http.requests")
                .tags("handler", "blob", "method", "get", "code", "200").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(1);
    }
}
