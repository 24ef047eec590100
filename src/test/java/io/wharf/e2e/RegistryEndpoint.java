package io.wharf.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls against a registry's API by host:port, for checks. */
record RegistryEndpoint(String hostPort) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static RegistryEndpoint of(URI base) {
        return new RegistryEndpoint(base.getHost() + ":" + base.getPort());
    }

    /** {@code docker://host:port/<repo>:<ref>} or {@code ...@<digest>}. */
    String docker(String repository, String reference) {
        return "docker://" + hostPort + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
    }

    /** GET of a path; {@code accept} may be null. */
    HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        return send("GET", path, accept);
    }

    /** A request without a body; {@code accept} may be null. */
    HttpResponse<byte[]> send(String method, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String getString(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = get(path, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + new String(r.body()));
        }
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
