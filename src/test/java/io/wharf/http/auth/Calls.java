package io.wharf.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Registry calls with credentials, over any client (plain or TLS). */
final class Calls {
    private final HttpClient client;
    private final URI base;

    Calls(HttpClient client, URI base) {
        this.client = client;
        this.base = base;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : base.resolve(path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        return client.send(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads a blob in one request ({@code POST ?digest=}); returns the response. */
    HttpResponse<String> pushBlob(String repository, byte[] content, String authorization) throws Exception {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        return send(request("/v2/" + repository + "/blobs/uploads/?digest=" + d, authorization)
                .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(content)).build());
    }

    /** Pushes a config blob and an OCI manifest tagged {@code tag}, asserting success. */
    void pushImage(String repository, String tag, String authorization) throws Exception {
        byte[] config = ("{\"repo\":\"" + repository + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(pushBlob(repository, config, authorization).statusCode()).isEqualTo(201);
        Digest d = Digest.compute(Digest.Algorithm.SHA256, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + d
                + "\",\"size\":" + config.length + "},\"layers\":[]}";
        var put = send(request("/v2/" + repository + "/manifests/" + tag, authorization)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(BodyPublishers.ofString(manifest)).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }
}
