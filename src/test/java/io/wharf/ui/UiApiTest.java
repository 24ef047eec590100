package io.wharf.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.auth.Htpasswd;
import io.wharf.config.AuthConfig;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Await;
import io.wharf.testing.LogCapture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's JSON API over real HTTP: listings, image details, usage, deletes and collections, with auth off and on. */
class UiApiTest {
    @TempDir
    Path root;
    @TempDir
    Path files;

    /** Deletes on, online collection without a grace period, so a test sees what it frees. */
    static UnaryOperator<RegistryConfig> noGrace() {
        return c -> c.withLifecycle(new RegistryConfig.Lifecycle(new RegistryConfig.Gc(false, Duration.ofHours(24),
                Duration.ZERO, false, false), List.of(), List.of(), RegistryConfig.Admin.defaults()));
    }

    @Test
    void openRegistry_listsSearchesSortsAndPagesRepositories() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            JsonNode session = api.session();
            assertThat(session.path("loginRequired").asBoolean()).isFalse();
            assertThat(session.path("admin").asBoolean()).isTrue();
            assertThat(api.csrf()).isPresent();

            JsonNode all = api.get("repositories?limit=1000");
            assertThat(names(all)).containsExactlyElementsOf(UiFixture.repositories());
            assertThat(all.path("total").asInt()).isEqualTo(4);
            assertThat(all.path("namespaces").toString()).isEqualTo("{\"\":1,\"evil\":1,\"team\":2}");
            assertThat(item(all, "team/app").path("tags").asInt()).isEqualTo(3);

            assertThat(names(api.get("repositories?q=LIB"))).containsExactly("team/lib");
            assertThat(names(api.get("repositories?namespace=/"))).containsExactly("solo");
            assertThat(names(api.get("repositories?namespace=team&sort=name&order=desc")))
                    .containsExactly("team/lib", "team/app");
            assertThat(names(api.get("repositories?sort=pushed")).get(0)).isEqualTo("evil/x");
            JsonNode page = api.get("repositories?limit=2&offset=2");
            assertThat(names(page)).containsExactly("team/app", "team/lib");
            assertThat(page.path("total").asInt()).isEqualTo(4);
        }
    }

    @Test
    void openRegistry_showsTagsImagesReferrersAndHostileStringsAsData() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.Pushed pushed = UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            api.session();

            JsonNode tags = api.get("tags?repository=team/app");
            assertThat(names(tags)).containsExactly("multi", "v2", "v1");
            JsonNode v1 = item(tags, "v1");
            assertThat(v1.path("digest").asText()).isEqualTo(pushed.appV1().toString());
            assertThat(v1.path("size").asLong()).isEqualTo(pushed.appV1Size());
            assertThat(Instant.parse(v1.path("pushedAt").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(item(tags, "multi").path("platforms").toString())
                    .isEqualTo("[\"linux/amd64\",\"linux/arm64/v8\"]");
            assertThat(names(api.get("tags?repository=team/app&sort=name"))).containsExactly("multi", "v1", "v2");

            JsonNode image = api.get("manifest?repository=team/app&reference=v1");
            assertThat(image.path("digest").asText()).isEqualTo(pushed.appV1().toString());
            assertThat(image.path("tags").toString()).isEqualTo("[\"v1\"]");
            assertThat(image.path("layers")).hasSize(2);
            assertThat(image.path("totalSize").asLong()).isEqualTo(pushed.appV1Size());
            assertThat(image.path("history").get(0).path("created_by").asText()).isEqualTo("RUN make one");
            assertThat(image.path("referrers")).hasSize(1);
            assertThat(image.path("referrers").get(0).path("digest").asText()).isEqualTo(pushed.signature().toString());
            assertThat(image.path("referrers").get(0).path("artifactType").asText()).isEqualTo(UiFixture.SIGNATURE);

            JsonNode index = api.get("manifest?repository=team/app&reference=" + pushed.index());
            assertThat(index.path("children")).extracting(c -> c.path("platform").asText())
                    .containsExactly("linux/amd64", "linux/arm64/v8");

            JsonNode hostile = api.get("manifest?repository=evil/x&reference=latest");
            assertThat(hostile.path("annotations").path("org.opencontainers.image.title").asText())
                    .isEqualTo(UiFixture.HOSTILE);
            assertThat(hostile.path("history").get(0).path("created_by").asText()).isEqualTo(UiFixture.HOSTILE);
        }
    }

    @Test
    void badRequests_getTheSpecsErrorBody_andNever5xx() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            api.session();
            assertError(api.call("GET", "repository?name=no/such", null), 404, "NAME_UNKNOWN");
            assertError(api.call("GET", "repository?name=Bad..Name", null), 400, "NAME_INVALID");
            assertError(api.call("GET", "repositories?sort=colour", null), 400, "REQUEST_INVALID");
            assertError(api.call("GET", "repositories?limit=0", null), 400, "PAGINATION_NUMBER_INVALID");
            assertError(api.call("GET", "repositories?offset=x", null), 400, "PAGINATION_NUMBER_INVALID");
            assertError(api.call("GET", "manifest?repository=team/app&reference=nope", null), 404, "MANIFEST_UNKNOWN");
            assertError(api.call("GET", "manifest?repository=team/app", null), 400, "REQUEST_INVALID");
            assertError(api.call("GET", "nothing-here", null), 404, "NOT_FOUND");
            assertError(api.change("POST", "gc", "[not json"), 400, "REQUEST_INVALID");
            assertError(api.change("POST", "gc", "{\"at\":\"tomorrow\"}"), 400, "REQUEST_INVALID");
            // Not a JSON boolean: refused rather than read as false, which would start a real collection.
            for (String dryRun : new String[] {"\"yes\"", "\"true\"", "1", "{}"}) {
                assertError(api.change("POST", "gc", "{\"dryRun\":" + dryRun + "}"), 400, "REQUEST_INVALID");
            }
            assertThat(api.get("gc").path("running").isNull()).as("nothing started").isTrue();
            assertError(api.call("POST", "session", "{\"username\":\"a\",\"password\":\"b\"}"), 400, "REQUEST_INVALID");
        }
    }

    @Test
    void changes_needTheSessionsCsrfToken() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            api.session();

            assertError(api.call("DELETE", "tag?repository=team/app&tag=v2", null), 403, "DENIED");
            assertError(api.call("DELETE", "tag?repository=team/app&tag=v2", null, "X-CSRF-Token", "forged"), 403,
                    "DENIED");
            HttpResponse<byte[]> noSession = new ApiClient(r.base()).call("DELETE", "tag?repository=team/app&tag=v2",
                    null);
            assertError(noSession, 401, "UNAUTHORIZED");
            assertThat(noSession.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(names(api.get("tags?repository=team/app"))).contains("v2");

            assertThat(api.change("DELETE", "tag?repository=team/app&tag=v2", null).statusCode()).isEqualTo(200);
            assertThat(names(api.get("tags?repository=team/app"))).containsExactly("multi", "v1");
            assertThat(r.get("/v2/team/app/manifests/v2").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void usage_countsSharedLayersOnce_andDropsAfterAGcStartedFromTheApi() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.Pushed pushed = UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            api.session();

            JsonNode usage = api.get("usage?limit=1000");
            JsonNode lib = item(usage, "team/lib");
            assertThat(lib.path("uniqueBytes").asLong()).isEqualTo(pushed.libUnique());
            assertThat(lib.path("bytes").asLong()).isEqualTo(pushed.libUnique() + pushed.sharedSize());
            long appBefore = item(usage, "team/app").path("bytes").asLong();
            JsonNode totals = usage.path("totals");
            assertThat(totals.path("referencedBytes").asLong()).isEqualTo(totals.path("storedBytes").asLong());
            assertThat(item(api.get("repositories?limit=1000"), "team/lib").path("bytes").asLong())
                    .isEqualTo(lib.path("bytes").asLong());

            assertThat(api.change("DELETE", "tag?repository=team/app&tag=v2", null).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> started = api.change("POST", "gc", "{\"deleteUntagged\":true}");
            assertThat(started.statusCode()).as(ApiClient.text(started)).isEqualTo(200);
            Await.until(() -> finished(api), Duration.ofSeconds(30), "the collection to finish");

            JsonNode gc = api.get("gc");
            assertThat(gc.path("last").path("failed").asBoolean()).isFalse();
            assertThat(gc.path("last").path("bytesFreed").asLong()).isPositive();
            assertThat(gc.path("last").path("startedBy").asText()).isEqualTo("ui");
            JsonNode after = api.get("usage?limit=1000");
            assertThat(item(after, "team/app").path("bytes").asLong()).isLessThan(appBefore);
            assertThat(after.path("totals").path("storedBytes").asLong())
                    .isEqualTo(totals.path("storedBytes").asLong() - gc.path("last").path("bytesFreed").asLong());
            assertThat(r.get("/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPlannedCollection_runsWhenDue_andCanBeCancelled() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, noGrace())) {
            UiFixture.push(r);
            ApiClient api = new ApiClient(r.base());
            api.session();
            String later = Instant.now().plus(Duration.ofDays(1)).toString();
            JsonNode planned = ApiClient.json(api.change("POST", "gc", "{\"dryRun\":true,\"at\":\"" + later + "\"}"));
            assertThat(planned.path("planned").path("at").asText()).isEqualTo(later);
            assertThat(ApiClient.json(api.change("DELETE", "gc/plan", null)).path("planned").isNull()).isTrue();

            String now = Instant.now().toString();
            api.change("POST", "gc", "{\"dryRun\":true,\"at\":\"" + now + "\"}");
            Await.until(() -> {
                JsonNode gc = get(api, "gc");
                return gc.path("planned").isNull() && gc.path("last").path("startedBy").asText().startsWith("planned");
            }, Duration.ofSeconds(40), "the planned collection to run");
            assertThat(api.get("gc").path("last").path("dryRun").asBoolean()).isTrue();
        }
    }

    @Test
    void htpasswd_logsInWithTheRegistrysUsers_andShowsOnlyWhatTheyMayDo() throws Exception {
        AuthConfig users = users(files);
        try (TestRegistry r = TestRegistry.start(root, c -> noGrace().apply(c).withAuth(users))) {
            r.login("alice", "alice-password");
            UiFixture.push(r);

            ApiClient anonymous = new ApiClient(r.base());
            JsonNode anon = anonymous.session();
            assertThat(anon.path("loginRequired").asBoolean()).isTrue();
            assertThat(anon.path("user").isNull()).isTrue();
            assertThat(anonymous.get("repositories").path("total").asInt()).isZero();
            try (LogCapture access = new LogCapture("io.wharf.access")) {
                HttpResponse<byte[]> wrong = anonymous.login("alice", "guess");
                assertError(wrong, 401, "UNAUTHORIZED");
                assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
                // A wrong password is logged as the registry's are; a visitor not yet logged in is not.
                assertThat(access.lines()).singleElement().asString().contains("user=alice")
                        .contains("action=login").contains("status=401").contains("wrong user name or password");
            }
            assertThat(anonymous.call("GET", "repository?name=team/app", null).headers().firstValue("X-Request-Id"))
                    .as("every answer names its request, as the registry API's do").isPresent();

            ApiClient bob = new ApiClient(r.base());
            HttpResponse<byte[]> login = bob.login("bob", "bob-password");
            assertThat(login.statusCode()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("wharf_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
                    .contains("Path=/").doesNotContain("Secure");
            assertThat(names(bob.get("repositories"))).containsExactly("team/app");
            assertThat(bob.get("repository?name=team/app").path("may").path("delete").asBoolean()).isFalse();
            assertError(bob.call("GET", "repository?name=team/lib", null), 404, "NAME_UNKNOWN");
            assertError(bob.change("DELETE", "tag?repository=team/app&tag=v1", null), 403, "DENIED");
            assertError(bob.change("POST", "gc", "{}"), 403, "DENIED");
            assertThat(names(bob.get("usage"))).containsExactly("team/app");
            assertThat(bob.get("usage").has("totals")).isFalse();
            assertThat(bob.get("gc").path("mayRun").asBoolean()).isFalse();

            ApiClient alice = new ApiClient(r.base());
            assertThat(alice.login("alice", "alice-password").statusCode()).isEqualTo(200);
            assertThat(names(alice.get("repositories?limit=1000"))).containsExactlyElementsOf(UiFixture.repositories());
            assertThat(alice.get("gc").path("mayRun").asBoolean()).isTrue();
            assertThat(alice.change("DELETE", "tag?repository=team/lib&tag=latest", null).statusCode()).isEqualTo(200);
            assertThat(names(alice.get("repositories"))).doesNotContain("team/lib");

            assertThat(alice.change("DELETE", "session", null).statusCode()).isEqualTo(200);
            assertThat(alice.session().path("user").isNull()).isTrue();
            assertThat(alice.get("repositories").path("total").asInt()).isZero();
        }
    }

    @Test
    void anAuthorizationHeader_worksWithoutASession_likeTheRegistryApi() throws Exception {
        AuthConfig users = users(files);
        try (TestRegistry r = TestRegistry.start(root, c -> noGrace().apply(c).withAuth(users))) {
            r.login("alice", "alice-password");
            UiFixture.push(r);
            HttpClient plain = HttpClient.newHttpClient();
            String basic = "Basic " + Base64.getEncoder().encodeToString("alice:alice-password"
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> list = plain.send(HttpRequest.newBuilder(r.base().resolve("/api/v1/repositories"))
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(names(ApiClient.json(list))).hasSize(4);
            HttpResponse<byte[]> delete = plain.send(HttpRequest.newBuilder(
                    r.base().resolve("/api/v1/tag?repository=solo&tag=1.0")).header("Authorization", basic)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(delete.statusCode()).isEqualTo(200);
            HttpResponse<byte[]> wrong = plain.send(HttpRequest.newBuilder(r.base().resolve("/api/v1/repositories"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "alice:nope".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertError(wrong, 401, "UNAUTHORIZED");
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    void tokenServer_usersLogInToTheUiWithTheirPasswords() throws Exception {
        AuthConfig basic = users(files);
        AuthConfig token = new AuthConfig(Optional.empty(), Optional.empty(), basic.access(), Optional.of(
                new AuthConfig.TokenServer(files.resolve("htpasswd"), files.resolve("token.key"), "wharf", "wharf-ui",
                        Duration.ofMinutes(5), Duration.ofDays(1))));
        try (TestRegistry r = TestRegistry.start(root, c -> noGrace().apply(c).withAuth(token))) {
            r.login("alice", "alice-password");
            UiFixture.push(r);
            ApiClient bob = new ApiClient(r.base());
            assertThat(bob.login("bob", "bob-password").statusCode()).isEqualTo(200);
            assertThat(names(bob.get("repositories"))).containsExactly("team/app");
            assertError(new ApiClient(r.base()).login("bob", "wrong"), 401, "UNAUTHORIZED");
        }
    }

    @Test
    void theUiCanBeTurnedOff() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, c -> c.withLifecycle(c.lifecycle().withUi(
                new RegistryConfig.Ui(false, Duration.ofHours(1)))))) {
            assertThat(r.get("/api/v1/session").statusCode()).isEqualTo(404);
            assertThat(r.get("/ui/").statusCode()).isEqualTo(404);
            assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void thePage_isServedWithAStrictContentSecurityPolicy() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            HttpResponse<byte[]> page = r.get("/ui/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("default-src 'none'").contains("script-src 'self'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").contains("frame-ancestors 'none'");
            assertThat(ApiClient.text(page)).doesNotContain("<script>").contains("src=\"app.js\"");
            String etag = r.get("/ui/app.js").headers().firstValue("ETag").orElseThrow();
            assertThat(r.get("/ui/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
            assertThat(r.get("/ui/../../etc/passwd").statusCode()).isIn(400, 404);
            assertThat(r.get("/ui/nothing.js").statusCode()).isEqualTo(404);
        }
    }

    /** alice: admin, everything; bob: pulls team/app only. */
    static AuthConfig users(Path dir) throws java.io.IOException {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, Htpasswd.line("alice", "alice-password", 4) + "\n"
                + Htpasswd.line("bob", "bob-password", 4) + "\n");
        var rules = List.of(new AuthConfig.Rule(List.of("**"), List.of("alice"), List.of("alice"), List.of("alice")),
                new AuthConfig.Rule(List.of("team/app"), List.of("bob"), List.of(), List.of()));
        var access = new AuthConfig.Access(Map.of("admins", List.of("alice")), "admins", List.of(), rules,
                AuthConfig.FailedLogins.defaults());
        return new AuthConfig(Optional.of(new AuthConfig.Htpasswd("wharf-ui", htpasswd)), Optional.empty(), access,
                Optional.empty());
    }

    private static boolean finished(ApiClient api) {
        JsonNode gc = get(api, "gc");
        return gc.path("running").isNull() && !gc.path("last").isNull() && !gc.path("last").isMissingNode();
    }

    private static JsonNode get(ApiClient api, String path) {
        try {
            return api.get(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(i -> out.add(i.path("name").asText()));
        return out;
    }

    static JsonNode item(JsonNode page, String name) {
        for (JsonNode i : page.path("items")) {
            if (i.path("name").asText().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " not in " + page);
    }

    static void assertError(HttpResponse<byte[]> r, int status, String code) throws java.io.IOException {
        assertThat(r.statusCode()).as(ApiClient.text(r)).isEqualTo(status);
        assertThat(ApiClient.json(r).path("errors").get(0).path("code").asText()).isEqualTo(code);
    }
}
