package io.wharf.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** The web UI's API as a browser calls it: a cookie jar, and the session's CSRF token on changes. */
final class ApiClient {
    private final URI base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private String csrf;

    ApiClient(URI registry) {
        this.base = registry.resolve("/api/v1/");
        this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    /** Starts a session as the UI does on load (an anonymous one carries the CSRF token). */
    JsonNode session() throws IOException, InterruptedException {
        JsonNode s = json(call("GET", "session", null));
        csrf = s.path("csrf").isTextual() ? s.get("csrf").asText() : null;
        return s;
    }

    HttpResponse<byte[]> login(String user, String password) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = call("POST", "session", "{\"username\":" + UiFixture.quote(user) + ",\"password\":"
                + UiFixture.quote(password) + "}", "Content-Type", "application/json");
        if (r.statusCode() == 200) {
            csrf = json(r).path("csrf").asText();
        }
        return r;
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = call("GET", pathAndQuery, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + ": " + r.statusCode() + " " + text(r));
        }
        return json(r);
    }

    /** A change with the session's CSRF token. */
    HttpResponse<byte[]> change(String method, String pathAndQuery, String body) throws IOException,
            InterruptedException {
        return body == null ? call(method, pathAndQuery, null, "X-CSRF-Token", csrf)
                : call(method, pathAndQuery, body, "X-CSRF-Token", csrf, "Content-Type", "application/json");
    }

    HttpResponse<byte[]> call(String method, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    Optional<String> csrf() {
        return Optional.ofNullable(csrf);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return io.wharf.http.TestRegistry.json(r);
    }

    static String text(HttpResponse<byte[]> r) {
        return io.wharf.http.TestRegistry.text(r);
    }
}
