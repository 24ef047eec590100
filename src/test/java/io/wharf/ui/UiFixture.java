package io.wharf.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
import io.wharf.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small registry's worth of content for the UI's tests, pushed over the V2 API: two repositories in {@code team}
 * sharing one layer, a top-level one, a multi-platform index, a signature referring to an image, and an image whose
 * annotations and config history carry markup meant to run script in a page that inserts them as HTML.
 */
final class UiFixture {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    /** Markup in an annotation and in the config's history; the page must show it as text. */
    static final String HOSTILE = "<img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script>";

    /** What was pushed, by name. */
    record Pushed(Digest shared, long sharedSize, Digest appV1, long appV1Size, Digest appV2, Digest index,
            Digest signature, Digest lib, long libUnique, Digest hostile) {
    }

    private UiFixture() {
    }

    static Pushed push(TestRegistry r) throws IOException, InterruptedException {
        byte[] shared = bytes("shared base layer ".repeat(200));
        Digest s = r.pushBlob("team/app", shared);
        Image v1 = image(r, "team/app", "v1", s, shared.length, "app one", "RUN make one");
        Image v2 = image(r, "team/app", "v2", s, shared.length, "app two", "RUN make two");
        Image amd = image(r, "team/app", null, s, shared.length, "amd64 build", "RUN make amd64");
        Image arm = image(r, "team/app", null, s, shared.length, "arm64 build", "RUN make arm64");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + platform(amd, "amd64", null) + "," + platform(arm, "arm64", "v8") + "]}";
        Digest indexDigest = r.pushManifest("team/app", "multi", OCI_INDEX, index);
        Digest empty = r.pushBlob("team/app", bytes("{}"));
        byte[] sig = bytes("signature bytes");
        Digest sigLayer = r.pushBlob("team/app", sig);
        String signature = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\""
                + SIGNATURE + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
                + empty + "\",\"size\":2},\"layers\":[" + desc(OCI_LAYER, sigLayer, sig.length) + "],\"subject\":"
                + desc(OCI_MANIFEST, v1.digest, v1.manifestSize) + ",\"annotations\":{\"signed.by\":\"ci\"}}";
        Digest sigDigest = r.pushManifest("team/app", Digest.compute(Digest.Algorithm.SHA256, bytes(signature))
                .toString(), OCI_MANIFEST, signature);

        r.pushBlob("team/lib", shared);
        Image lib = image(r, "team/lib", "latest", s, shared.length, "lib only", "RUN make lib");
        r.pushBlob("solo", shared);
        image(r, "solo", "1.0", s, shared.length, "solo layer", "RUN make solo");

        byte[] hostileConfig = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"history\":[{\"created\":"
                + "\"2026-01-01T00:00:00Z\",\"created_by\":" + quote(HOSTILE) + "}]}");
        Digest hc = r.pushBlob("evil/x", hostileConfig);
        byte[] hostileLayer = bytes("hostile layer");
        Digest hl = r.pushBlob("evil/x", hostileLayer);
        String hostile = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + desc(OCI_CONFIG, hc, hostileConfig.length) + ",\"layers\":[" + desc(OCI_LAYER, hl, hostileLayer.length)
                + "],\"annotations\":{\"org.opencontainers.image.title\":" + quote(HOSTILE) + "}}";
        Digest hostileDigest = r.pushManifest("evil/x", "latest", OCI_MANIFEST, hostile);
        return new Pushed(s, shared.length, v1.digest, v1.total(shared.length), v2.digest, indexDigest, sigDigest,
                lib.digest, lib.configSize + lib.layerSize + lib.manifestSize, hostileDigest);
    }

    /** An image: its own config and layer plus the shared layer; tagged when {@code tag} is not null. */
    private static Image image(TestRegistry r, String repo, String tag, Digest shared, long sharedSize, String own,
            String createdBy) throws IOException, InterruptedException {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"history\":[{\"created\":"
                + "\"2026-01-01T00:00:00Z\",\"created_by\":" + quote(createdBy) + "}]}");
        byte[] layer = bytes(own + " " + repo);
        Digest c = r.pushBlob(repo, config);
        Digest l = r.pushBlob(repo, layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + desc(OCI_CONFIG, c, config.length) + ",\"layers\":[" + desc(OCI_LAYER, shared, sharedSize) + ","
                + desc(OCI_LAYER, l, layer.length) + "]}";
        Digest m = Digest.compute(Digest.Algorithm.SHA256, bytes(manifest));
        Digest pushed = r.pushManifest(repo, tag == null ? m.toString() : tag, OCI_MANIFEST, manifest);
        assertThat(pushed).isEqualTo(m);
        return new Image(m, bytes(manifest).length, config.length, layer.length);
    }

    record Image(Digest digest, long manifestSize, long configSize, long layerSize) {
        long total(long sharedSize) {
            return manifestSize + configSize + layerSize + sharedSize;
        }
    }

    private static String platform(Image image, String arch, String variant) {
        return "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + image.digest + "\",\"size\":"
                + image.manifestSize + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    static String desc(String type, Digest d, long size) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> repositories() {
        return List.of("evil/x", "solo", "team/app", "team/lib");
    }
}
