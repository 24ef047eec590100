package io.wharf.lifecycle;

import io.wharf.http.TestRegistry;
import io.wharf.spec.Digest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pushes and pulls like a registry client does (HEAD before upload, then PUT the manifest). */
final class PushClient {
    /** A pushed descriptor. */
    record Desc(Digest digest, long size, String mediaType) {
        String json() {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
        }
    }

    static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";

    private final TestRegistry registry;

    PushClient(TestRegistry registry) {
        this.registry = registry;
    }

    /** HEAD, and upload monolithically when absent. */
    Desc blob(String repo, byte[] content, String mediaType) throws IOException, InterruptedException {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        var head = registry.send(registry.request("/v2/" + repo + "/blobs/" + d)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        if (head.statusCode() != 200) {
            var post = registry.send(registry.request("/v2/" + repo + "/blobs/uploads/?digest=" + d)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build());
            check(post, 201, "upload " + d);
        }
        return new Desc(d, content.length, mediaType);
    }

    static String imageJson(Desc config, List<Desc> layers) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":")
                .append(config.json()).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            s.append(i == 0 ? "" : ",").append(layers.get(i).json());
        }
        return s.append("]}").toString();
    }

    static String indexJson(List<Desc> children) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[");
        for (int i = 0; i < children.size(); i++) {
            s.append(i == 0 ? "" : ",").append(children.get(i).json());
        }
        return s.append("]}").toString();
    }

    /** PUT a manifest; returns the response (the caller decides whether a failure is retried). */
    HttpResponse<byte[]> putManifest(String repo, String reference, String json, String type)
            throws IOException, InterruptedException {
        return registry.send(registry.request("/v2/" + repo + "/manifests/" + reference)
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        return registry.send(registry.request(path).header("Accept", accept).GET().build());
    }

    HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
        return registry.send(registry.request(path).DELETE().build());
    }

    static Desc desc(byte[] payload, String type) {
        return new Desc(Digest.compute(Digest.Algorithm.SHA256, payload), payload.length, type);
    }

    static void check(HttpResponse<byte[]> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new AssertionError(what + ": HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }
}
