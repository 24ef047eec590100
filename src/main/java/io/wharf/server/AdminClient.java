package io.wharf.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a running server's {@code /admin} endpoints for the CLI. */
final class AdminClient {
    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param body the body as text
     */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param base the server's URL, e.g. {@code http://localhost:5000} (with any {@code http.prefix}) */
    AdminClient(String base) {
        this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    Answer gc(boolean dryRun, Boolean deleteUntagged) throws IOException, InterruptedException {
        String query = "?dryRun=" + dryRun + (deleteUntagged == null ? "" : "&deleteUntagged=" + deleteUntagged);
        return send(HttpRequest.newBuilder(URI.create(base + "/admin/gc" + query))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    Answer deleteRepository(String name) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/admin/repositories/" + name)).DELETE());
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request.timeout(Duration.ofHours(6)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
