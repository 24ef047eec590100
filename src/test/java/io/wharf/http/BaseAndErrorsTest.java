package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertClientError;
import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.ErrorAssertions.assertHeadError;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** end-1 (API version check), the error body every failure carries, and what Jetty itself answers. */
class BaseAndErrorsTest extends RunningRegistryTest {
    @Test
    void versionCheck_answers200WithTheApiVersionHeader() throws Exception {
        var res = r.get("/v2/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertThat(TestRegistry.json(res).isObject()).isTrue();
    }

    @Test
    void versionCheck_answersWithoutTheTrailingSlashAndToHead() throws Exception {
        assertThat(r.get("/v2").statusCode()).isEqualTo(200);
        var head = r.head("/v2/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void everyAnswer_carriesItsOwnRequestId_errorsToo() throws Exception {
        String first = r.get("/v2/").headers().firstValue("X-Request-Id").orElseThrow();
        String second = r.get("/v2/no/such/manifests/x").headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(first).matches("[0-9a-z]+-[0-9a-z]+");
        assertThat(second).matches("[0-9a-z]+-[0-9a-z]+").isNotEqualTo(first);
    }

    @Test
    void configuredHttpHeaders_areAddedToResponses() throws Exception {
        assertThat(r.get("/v2/").headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void unknownRouteUnderV2_is404NotFoundWithJsonBody() throws Exception {
        assertError(r.get("/v2/foo/bar"), 404, "NOT_FOUND");
        assertError(r.get("/v2/_catalogue"), 404, "NOT_FOUND");
    }

    @Test
    void pathOutsideV2_is404WithJsonBody() throws Exception {
        var res = r.get("/index.html");
        assertThat(res.statusCode()).isEqualTo(404);
        assertClientError(res);
    }

    @Test
    void wrongMethodOnARoute_is405UnsupportedWithJsonBody() throws Exception {
        assertError(r.put("/v2/", utf8("{}")), 405, "UNSUPPORTED");
        assertError(r.post("/v2/repo/tags/list", utf8("x")), 405, "UNSUPPORTED");
        assertError(r.call("PATCH", "/v2/repo/manifests/latest", utf8("x")), 405, "UNSUPPORTED");
        var res = r.delete("/v2/_catalog");
        assertError(res, 405, "UNSUPPORTED");
        assertThat(res.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void oversizedRequestHeader_is431WithJsonBody() throws Exception {
        var res = r.raw("GET", "/v2/", "X-Big", "a".repeat(64 * 1024));
        assertThat(res.status()).isEqualTo(431);
        assertClientError(res);
    }

    @Test
    void overlongRequestUri_isA4xxWithJsonBody() throws Exception {
        var res = r.raw("GET", "/v2/" + "a/".repeat(40 * 1024) + "a/tags/list");
        assertThat(res.status()).isIn(400, 414, 431);
        assertClientError(res);
    }

    @Test
    void requestUri_isLimitedWithTheHeadersTo16KiB() throws Exception {
        // The request line counts toward the same 16 KiB as the headers (LIMITS.md): 12 KiB is routed, 17 KiB is not.
        var routed = r.raw("GET", "/v2/" + "a".repeat(12 * 1024));
        assertThat(routed.status()).isEqualTo(404);
        assertThat(assertClientError(routed)).isEqualTo("NOT_FOUND");
        var tooLong = r.raw("GET", "/v2/" + "a".repeat(17 * 1024));
        assertThat(tooLong.status()).isEqualTo(414);
        assertThat(assertClientError(tooLong)).isEqualTo("URI_TOO_LONG");
    }

    @Test
    void headOfAnError_hasStatusAndNoBody() throws Exception {
        assertHeadError(r.head("/v2/repo/blobs/sha256:" + "0".repeat(64)), 404);
        assertHeadError(r.head("/v2/repo/manifests/nope"), 404);
    }

    @Test
    void everyResponse_carriesTheApiVersionHeader() throws Exception {
        TestRegistry.Image image = r.pushImage("every/header", "v1");
        String blob = "/v2/every/header/blobs/" + image.layer();
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        answers.add(r.get("/v2/"));
        answers.add(r.get(blob));
        answers.add(r.get(blob, "Range", "bytes=0-1"));
        answers.add(r.get(blob, "If-None-Match", "\"" + image.layer() + "\""));
        answers.add(r.get(blob, "Range", "bytes=999-"));
        answers.add(r.post("/v2/every/header/blobs/uploads/", null));
        answers.add(r.get("/v2/every/header/manifests/v1"));
        answers.add(r.get("/v2/every/header/tags/list"));
        answers.add(r.get("/v2/_catalog"));
        answers.add(r.get("/v2/every/header/referrers/" + image.digest()));
        answers.add(r.delete("/v2/every/header/manifests/v1"));
        answers.add(r.get("/v2/no/such/route"));
        answers.add(r.get("/elsewhere"));
        answers.add(r.put("/v2/", null));
        for (var a : answers) {
            assertThat(a.headers().firstValue("Docker-Distribution-API-Version"))
                    .as("%s %s -> %d", a.request().method(), a.uri(), a.statusCode()).contains("registry/2.0");
        }
        assertThat(r.raw("GET", "/v2/", "X-Big", "a".repeat(64 * 1024)).header("Docker-Distribution-API-Version"))
                .isEqualTo("registry/2.0");
    }
}
