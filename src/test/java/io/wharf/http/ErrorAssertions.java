package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** What a client checks of an error answer: status, the spec's JSON error body, the API version header. */
final class ErrorAssertions {
    private ErrorAssertions() {
    }

    /**
     * Asserts the status and a body {@code {"errors":[{"code","message","detail"}, ...]}} whose first
     * code is {@code code}.
     */
    static void assertError(HttpResponse<byte[]> r, int status, String code) {
        String body = TestRegistry.text(r);
        assertThat(r.statusCode()).as("status of %s %s: %s", r.request().method(), r.uri(), body)
                .isEqualTo(status);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertErrorBody(body, code);
    }

    /** Asserts a HEAD error: the status, the API version header and no body. */
    static void assertHeadError(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode()).as("status of HEAD %s", r.uri()).isEqualTo(status);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertThat(r.body()).isEmpty();
    }

    /** Asserts a raw answer is a 4xx with the spec's error body; returns its first code. */
    static String assertClientError(TestRegistry.RawResponse r) {
        assertThat(r.status()).as("status: %s", r.text()).isBetween(400, 499);
        assertThat(r.header("Content-Type")).as("Content-Type of %s", r.text()).startsWith("application/json");
        assertThat(r.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        return assertErrorBody(r.text(), null);
    }

    /** Asserts a 4xx with the spec's error body; returns its first code. */
    static String assertClientError(HttpResponse<byte[]> r) {
        String body = TestRegistry.text(r);
        assertThat(r.statusCode()).as("status of %s: %s", r.uri(), body).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        return assertErrorBody(body, null);
    }

    private static String assertErrorBody(String body, String code) {
        JsonNode root;
        try {
            root = TestRegistry.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("error body is not JSON: " + body, e);
        }
        JsonNode errors = root.path("errors");
        assertThat(errors.isArray() && !errors.isEmpty()).as("errors array in %s", body).isTrue();
        for (JsonNode e : errors) {
            assertThat(e.has("code") && e.has("message") && e.has("detail"))
                    .as("code, message and detail in %s", body).isTrue();
            assertThat(e.get("code").isTextual()).isTrue();
            assertThat(e.get("message").isTextual()).isTrue();
        }
        String first = errors.get(0).get("code").asText();
        if (code != null) {
            assertThat(first).as("error code in %s", body).isEqualTo(code);
        }
        return first;
    }
}
