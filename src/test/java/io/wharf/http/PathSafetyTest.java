package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertClientError;
import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.sha256;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile or invalid names: each gets a 4xx with the JSON error body, never a 500, and nothing is
 * written outside the storage root (nor, since every request fails, inside it).
 */
class PathSafetyTest {
    static final String LONG_NAME = "a".repeat(127) + "/" + "b".repeat(127);
    @TempDir
    Path base;
    Path root;
    TestRegistry r;
    /** What the server itself writes when it starts on empty storage (the catalog index's marker). */
    List<Path> atStart;

    @BeforeEach
    void start() throws Exception {
        root = base.resolve("data");
        Files.createDirectories(root);
        r = TestRegistry.start(root);
        try (Stream<Path> files = Files.walk(root)) {
            atStart = files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/_wharf/leases/"))
                    .toList();
        }
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
        try (Stream<Path> all = Files.list(base)) {
            assertThat(all.toList()).as("entries beside the storage root").containsExactly(root);
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !atStart.contains(f)).toList())
                    .as("files written by refused requests").isEmpty();
        }
    }

    /** Every endpoint shape, for one raw (already encoded) repository name. */
    private static List<String[]> requestsFor(String name) {
        String digest = sha256(utf8("x")).toString();
        return List.of(
                new String[] {"GET", "/v2/" + name + "/manifests/latest"},
                new String[] {"HEAD", "/v2/" + name + "/manifests/latest"},
                new String[] {"PUT", "/v2/" + name + "/manifests/latest"},
                new String[] {"DELETE", "/v2/" + name + "/manifests/latest"},
                new String[] {"GET", "/v2/" + name + "/blobs/" + digest},
                new String[] {"DELETE", "/v2/" + name + "/blobs/" + digest},
                new String[] {"POST", "/v2/" + name + "/blobs/uploads/"},
                new String[] {"POST", "/v2/" + name + "/blobs/uploads/?digest=" + digest},
                new String[] {"GET", "/v2/" + name + "/tags/list"},
                new String[] {"GET", "/v2/" + name + "/referrers/" + digest});
    }

    private void assertRefused(String method, String target) throws IOException {
        TestRegistry.RawResponse res = method.equals("PUT") || method.equals("POST") || method.equals("PATCH")
                ? r.raw(method, target, utf8("x"), "Content-Type", Manifests.OCI_MANIFEST)
                : r.raw(method, target);
        String what = method + " " + target + " -> " + res.status() + " " + res.text();
        assertThat(res.status()).as(what).isBetween(400, 499);
        assertThat(res.header("Docker-Distribution-API-Version")).as(what).isEqualTo("registry/2.0");
        if (!method.equals("HEAD")) {
            assertClientError(res);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/..", "../../../../tmp/evil", "a/../../..", "%2e%2e", "a/%2e%2e/%2e%2e",
        "%2E%2E/%2E%2E/etc", "..%2f..%2fevil", "a%2Fb", "a%2fb/../../c", "Upper", "a/B", "caf%C3%A9", "%E2%98%83",
        "a%00b", ".hidden", "a//b", "_uploads", "a/_manifests", "a%5cb", "~root"})
    void hostileOrInvalidName_isA4xxWithJsonBody(String name) throws IOException {
        for (String[] req : requestsFor(name)) {
            assertRefused(req[0], req[1]);
        }
    }

    @Test
    void nameLongerThan255Characters_is400NameInvalid() throws Exception {
        String tooLong = LONG_NAME + "c";
        assertThat(tooLong).hasSize(256);
        assertError(r.get("/v2/" + tooLong + "/tags/list"), 400, "NAME_INVALID");
        assertError(r.post("/v2/" + tooLong + "/blobs/uploads/", null), 400, "NAME_INVALID");
        assertError(r.get("/v2/" + "a/".repeat(2000) + "a/manifests/latest"), 400, "NAME_INVALID");
    }

    @Test
    void nameOf255Characters_isValidButUnknown() throws Exception {
        assertThat(LONG_NAME).hasSize(255);
        assertError(r.get("/v2/" + LONG_NAME + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "..%2F..%2Fetc", "%2e%2e", "Upper", "a%2F%2Fb", "%E2%98%83"})
    void mountFromAnInvalidName_is400NameInvalid(String from) throws Exception {
        String digest = sha256(utf8("x")).toString();
        assertError(r.post("/v2/x/blobs/uploads/?mount=" + digest + "&from=" + from, null), 400, "NAME_INVALID");
    }

    @Test
    void uppercaseName_is400NameInvalid() throws Exception {
        assertError(r.get("/v2/Library/ubuntu/manifests/latest"), 400, "NAME_INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "..%2f..%2fx", "%2e%2e", "a%00"})
    void hostileTagOrUploadId_isA4xxWithJsonBody(String segment) throws IOException {
        assertRefused("GET", "/v2/repo/manifests/" + segment);
        assertRefused("PUT", "/v2/repo/manifests/" + segment);
        assertRefused("DELETE", "/v2/repo/manifests/" + segment);
        assertRefused("GET", "/v2/repo/blobs/uploads/" + segment);
        assertRefused("PATCH", "/v2/repo/blobs/uploads/" + segment);
        assertRefused("PUT", "/v2/repo/blobs/uploads/" + segment + "?digest=" + sha256(utf8("x")));
        assertRefused("DELETE", "/v2/repo/blobs/uploads/" + segment);
        assertRefused("GET", "/v2/repo/blobs/" + segment);
        assertRefused("GET", "/v2/repo/blobs/sha256:" + segment);
    }
}
