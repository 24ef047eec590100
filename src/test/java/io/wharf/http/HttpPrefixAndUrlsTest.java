package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertClientError;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.prefix}, {@code http.host} and {@code http.relativeurls} shape the URLs the registry hands out. */
class HttpPrefixAndUrlsTest {
    @TempDir
    Path root;

    private TestRegistry start(UnaryOperator<RegistryConfig.Http> http) throws Exception {
        return TestRegistry.start(root, c -> TestRegistry.withHttp(c, http));
    }

    private static RegistryConfig.Http http(RegistryConfig.Http h, String prefix, String host, boolean relative) {
        return new RegistryConfig.Http(h.addr(), h.net(), prefix, host, h.secret(), relative, h.headers(),
                h.drainTimeout());
    }

    @Test
    void defaultLocations_areAbsoluteOnTheRequestHost() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            String loc = r.startUpload("lib/app");
            assertThat(loc).startsWith(r.base() + "/v2/lib/app/blobs/uploads/");
        }
    }

    @Test
    void forwardedHeadersFromATrustedProxy_shapeAbsoluteLocations() throws Exception {
        var d = io.wharf.config.RegistryConfig.ClientLimits.defaults();
        var trusting = new io.wharf.config.RegistryConfig.ClientLimits(d.headerTimeout(), d.idleTimeout(),
                d.minDataRate(), d.rateWindow(), java.util.List.of(io.wharf.config.AddressRange.parse("127.0.0.1")));
        try (TestRegistry r = start(h -> h.withClients(trusting))) {
            var res = r.post("/v2/lib/app/blobs/uploads/", null,
                    "X-Forwarded-Proto", "https", "X-Forwarded-Host", "registry.example.com:8443");
            assertThat(res.headers().firstValue("Location").orElseThrow())
                    .startsWith("https://registry.example.com:8443/v2/lib/app/blobs/uploads/");
        }
    }

    @Test
    void prefix_servesTheApiUnderItAndOnlyThere() throws Exception {
        try (TestRegistry r = start(h -> http(h, "/registry/", "", false))) {
            var base = r.get("/registry/v2/");
            assertThat(base.statusCode()).isEqualTo(200);
            assertThat(base.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
            var outside = r.get("/v2/");
            assertThat(outside.statusCode()).isEqualTo(404);
            assertClientError(outside);
        }
    }

    @Test
    void prefix_isInEveryLocationAndLinkAndTheyWork() throws Exception {
        try (TestRegistry r = start(h -> http(h, "/registry", "", false))) {
            var post = r.post("/registry/v2/lib/app/blobs/uploads/", null);
            assertThat(post.statusCode()).isEqualTo(202);
            String loc = post.headers().firstValue("Location").orElseThrow();
            assertThat(loc).startsWith(r.base() + "/registry/v2/lib/app/blobs/uploads/");
            byte[] content = utf8("behind a prefix");
            Digest d = sha256(content);
            var patch = r.patch(loc, content);
            var put = r.put(patch.headers().firstValue("Location").orElseThrow() + "?digest=" + d, null);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.headers().firstValue("Location")).contains(r.base() + "/registry/v2/lib/app/blobs/" + d);
            assertThat(r.get(put.headers().firstValue("Location").orElseThrow()).body()).isEqualTo(content);

            String manifest = Manifests.ociManifest(Manifests.descriptor(Manifests.OCI_CONFIG, d, content.length));
            for (String tag : new String[] {"a", "b"}) {
                var m = r.put("/registry/v2/lib/app/manifests/" + tag, utf8(manifest),
                        "Content-Type", Manifests.OCI_MANIFEST);
                assertThat(m.headers().firstValue("Location"))
                        .contains(r.base() + "/registry/v2/lib/app/manifests/" + sha256(utf8(manifest)));
            }
            var tags = r.get("/registry/v2/lib/app/tags/list?n=1");
            assertThat(tags.headers().firstValue("Link"))
                    .contains("</registry/v2/lib/app/tags/list?last=a&n=1>; rel=\"next\"");
        }
    }

    @Test
    void host_isTheBaseOfAbsoluteLocations() throws Exception {
        try (TestRegistry r = start(h -> http(h, "/", "https://registry.example.com:8443/", false))) {
            assertThat(r.startUpload("lib/app")).startsWith("https://registry.example.com:8443/v2/lib/app/blobs/uploads/");
            Digest d = r.pushBlob("lib/app", utf8("x"));
            var mount = r.post("/v2/other/app/blobs/uploads/?mount=" + d + "&from=lib/app", null);
            assertThat(mount.headers().firstValue("Location"))
                    .contains("https://registry.example.com:8443/v2/other/app/blobs/" + d);
        }
    }

    @Test
    void relativeUrls_makeLocationsExactPaths() throws Exception {
        try (TestRegistry r = start(h -> http(h, "/", "https://ignored.example.com", true))) {
            var post = r.post("/v2/lib/app/blobs/uploads/", null);
            String uuid = post.headers().firstValue("Docker-Upload-UUID").orElseThrow();
            assertThat(post.headers().firstValue("Location")).contains("/v2/lib/app/blobs/uploads/" + uuid);
            byte[] content = utf8("relative");
            Digest d = sha256(content);
            var put = r.put("/v2/lib/app/blobs/uploads/" + uuid + "?digest=" + d, content);
            assertThat(put.headers().firstValue("Location")).contains("/v2/lib/app/blobs/" + d);
            var mount = r.post("/v2/other/app/blobs/uploads/?mount=" + d + "&from=lib/app", null);
            assertThat(mount.statusCode()).isEqualTo(201);
            assertThat(mount.headers().firstValue("Location")).contains("/v2/other/app/blobs/" + d);
            String manifest = Manifests.ociManifest(Manifests.descriptor(Manifests.OCI_CONFIG, d, content.length));
            var m = r.put("/v2/lib/app/manifests/v1", utf8(manifest), "Content-Type", Manifests.OCI_MANIFEST);
            assertThat(m.headers().firstValue("Location")).contains("/v2/lib/app/manifests/" + sha256(utf8(manifest)));
            assertThat(URI.create(m.headers().firstValue("Location").orElseThrow()).isAbsolute()).isFalse();
        }
    }

    @Test
    void relativeUrlsWithPrefix_keepThePrefix() throws Exception {
        try (TestRegistry r = start(h -> http(h, "/mirror/", "", true))) {
            var post = r.post("/mirror/v2/lib/app/blobs/uploads/", null);
            String uuid = post.headers().firstValue("Docker-Upload-UUID").orElseThrow();
            assertThat(post.headers().firstValue("Location")).contains("/mirror/v2/lib/app/blobs/uploads/" + uuid);
        }
    }
}
