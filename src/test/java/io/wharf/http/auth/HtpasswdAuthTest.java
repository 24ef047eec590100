package io.wharf.http.auth;

import static io.wharf.http.auth.Calls.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.auth.Htpasswd;
import io.wharf.config.AuthConfig;
import io.wharf.config.CorsConfig;
import io.wharf.http.TestRegistry;
import io.wharf.spec.Digest;
import io.wharf.testing.LogCapture;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** htpasswd auth with Wharf's access rules, over real HTTP. */
class HtpasswdAuthTest {
    private static final String ALICE = basic("alice", "alice-pw");
    private static final String CAROL = basic("carol", "carol-pw");
    private static final String ROOT = basic("root", "root-pw");

    @TempDir
    Path dir;

    private TestRegistry registry;
    private Calls calls;

    @BeforeEach
    void start() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, String.join("\n", Htpasswd.line("alice", "alice-pw", 4),
                Htpasswd.line("bob", "bob-pw", 4), Htpasswd.line("carol", "carol-pw", 4),
                Htpasswd.line("root", "root-pw", 4)) + "\n");
        AuthConfig.Access access = new AuthConfig.Access(Map.of("admins", List.of("root"),
                "team-a", List.of("alice", "bob")), "admins", List.of("public/**"),
                List.of(new AuthConfig.Rule(List.of("team-a/**"), List.of("carol"), List.of("group:team-a"),
                        List.of("alice"))),
                new AuthConfig.FailedLogins(2, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        AuthConfig auth = new AuthConfig(Optional.of(new AuthConfig.Htpasswd("wharf-test", htpasswd)),
                Optional.empty(), access, Optional.empty());
        registry = TestRegistry.start(dir.resolve("data"), c -> c.withAuth(auth).withHttp(c.http().withCors(
                new CorsConfig(List.of("https://ui.example"), CorsConfig.DEFAULT_HEADERS, Duration.ofMinutes(5),
                        false))));
        calls = new Calls(registry.client(), registry.base());
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void noCredentials_get401WithBasicChallengeAndTheSpecsJson() throws Exception {
        var r = calls.get("/v2/", null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"wharf-test\"");
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertThat(r.body()).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication "
                + "required\",\"detail\":null}]}");
        var pull = calls.get("/v2/team-a/app/manifests/latest", null);
        assertThat(pull.statusCode()).isEqualTo(401);
        assertThat(pull.body()).contains("\"detail\":[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team-a/app\","
                + "\"Action\":\"pull\"}]");
    }

    @Test
    void adminApi_needsAnAuthenticatedMemberOfTheAdminGroup() throws Exception {
        var anonymous = calls.get("/admin/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"wharf-test\"");
        assertThat(anonymous.body()).contains("\"code\":\"UNAUTHORIZED\"");

        var notAdmin = calls.get("/admin/metrics", ALICE);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(notAdmin.body()).contains("\"code\":\"DENIED\"");

        assertThat(calls.get("/admin/metrics", ROOT).statusCode()).isEqualTo(200);
    }

    @Test
    void rightPassword_passes_wrongPassword_isRefused() throws Exception {
        assertThat(calls.get("/v2/", ALICE).statusCode()).isEqualTo(200);
        assertThat(calls.get("/v2/", basic("alice", "wrong")).statusCode()).isEqualTo(401);
        assertThat(calls.get("/v2/", basic("nobody", "alice-pw")).statusCode()).isEqualTo(401);
    }

    @Test
    void rules_decidePushPullAndDelete_andRefusalsAreLoggedOnceWithoutPasswords() throws Exception {
        calls.pushImage("team-a/app", "v1", ALICE);
        try (LogCapture log = new LogCapture("io.wharf.access")) {
            var carolPush = calls.pushBlob("team-a/app", "x".getBytes(), CAROL);
            assertThat(carolPush.statusCode()).isEqualTo(403);
            assertThat(carolPush.body()).contains("\"code\":\"DENIED\"");
            assertThat(log.lines()).singleElement().asString().contains("user=carol", "repository=team-a/app",
                    "action=pull,push", "address=127.0.0.1", "status=403").doesNotContain("carol-pw");
        }
        assertThat(calls.get("/v2/team-a/app/manifests/v1", CAROL).statusCode()).isEqualTo(200);
        assertThat(calls.get("/v2/team-a/app/manifests/v1", basic("bob", "bob-pw")).statusCode()).isEqualTo(200);
        var bobDelete = calls.send(calls.request("/v2/team-a/app/manifests/v1", basic("bob", "bob-pw"))
                .DELETE().build());
        assertThat(bobDelete.statusCode()).isEqualTo(403);
        var aliceDelete = calls.send(calls.request("/v2/team-a/app/manifests/v1", ALICE).DELETE().build());
        assertThat(aliceDelete.statusCode()).isEqualTo(202);
    }

    @Test
    void aUserNameWithLineBreaksOrEscapes_cannotForgeLogLines_andAnOverlongPasswordIsA401() throws Exception {
        try (LogCapture log = new LogCapture("io.wharf.access")) {
            var forged = calls.get("/v2/", basic("evil\nFAKE ERROR forged line user=root\r\u001b[31mred", "x"));
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(log.lines()).singleElement().asString()
                    .contains("user=evil\\nFAKE ERROR forged line user=root\\r\\u001b[31mred")
                    .doesNotContain("\n", "\r", "\u001b");
        }
        // bcrypt reads 72 bytes; a longer wrong password is a wrong password, not a server error.
        assertThat(calls.get("/v2/", basic("alice", "p".repeat(100))).statusCode()).isEqualTo(401);
    }

    @Test
    void anonymousPull_onlyWherePermitted() throws Exception {
        calls.pushImage("public/base", "v1", ROOT);
        calls.pushImage("team-a/app", "v1", ROOT);

        assertThat(calls.get("/v2/public/base/manifests/v1", null).statusCode()).isEqualTo(200);
        assertThat(calls.get("/v2/public/base/tags/list", null).statusCode()).isEqualTo(200);
        assertThat(calls.get("/v2/team-a/app/manifests/v1", null).statusCode()).isEqualTo(401);
        assertThat(calls.pushBlob("public/base", "x".getBytes(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void catalog_listsOnlyWhatTheCallerMayPull() throws Exception {
        calls.pushImage("public/base", "v1", ROOT);
        calls.pushImage("team-a/app", "v1", ROOT);
        calls.pushImage("team-b/secret", "v1", ROOT);

        assertThat(calls.get("/v2/_catalog", ROOT).body())
                .isEqualTo("{\"repositories\":[\"public/base\",\"team-a/app\",\"team-b/secret\"]}");
        assertThat(calls.get("/v2/_catalog", ALICE).body())
                .isEqualTo("{\"repositories\":[\"public/base\",\"team-a/app\"]}");
        assertThat(calls.get("/v2/_catalog", null).body()).isEqualTo("{\"repositories\":[\"public/base\"]}");
        var paged = calls.get("/v2/_catalog?n=1", ALICE);
        assertThat(paged.body()).isEqualTo("{\"repositories\":[\"public/base\"]}");
        assertThat(paged.headers().firstValue("Link")).hasValueSatisfying(l -> assertThat(l).contains("last=public"));
        assertThat(calls.get("/v2/_catalog?n=1&last=public/base", ALICE).headers().firstValue("Link")).isEmpty();
    }

    @Test
    void crossRepositoryMount_needsPullOnTheSource() throws Exception {
        byte[] secret = "secret layer".getBytes();
        assertThat(calls.pushBlob("team-b/secret", secret, ROOT).statusCode()).isEqualTo(201);
        assertThat(calls.pushBlob("team-a/app", "shared".getBytes(), ALICE).statusCode()).isEqualTo(201);
        Digest secretDigest = Digest.compute(Digest.Algorithm.SHA256, secret);
        Digest sharedDigest = Digest.compute(Digest.Algorithm.SHA256, "shared".getBytes());

        var stolen = calls.send(calls.request("/v2/team-a/copy/blobs/uploads/?mount=" + secretDigest
                + "&from=team-b/secret", ALICE).POST(BodyPublishers.noBody()).build());
        assertThat(stolen.statusCode()).as("mount ignored, a normal upload starts").isEqualTo(202);
        assertThat(calls.get("/v2/team-a/copy/blobs/" + secretDigest, ALICE).statusCode()).isEqualTo(404);

        var mounted = calls.send(calls.request("/v2/team-a/copy/blobs/uploads/?mount=" + sharedDigest
                + "&from=team-a/app", ALICE).POST(BodyPublishers.noBody()).build());
        assertThat(mounted.statusCode()).isEqualTo(201);
    }

    @Test
    void repeatedFailures_fromOneAddress_areSlowedDown_evenForTheRightPassword() throws Exception {
        assertThat(calls.get("/v2/", basic("alice", "guess1")).statusCode()).isEqualTo(401);
        assertThat(calls.get("/v2/", basic("alice", "guess2")).statusCode()).isEqualTo(401);
        assertThat(calls.get("/v2/", basic("alice", "guess3")).statusCode()).isEqualTo(401);

        var throttled = calls.get("/v2/", ALICE);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).contains("TOOMANYREQUESTS");
        assertThat(throttled.headers().firstValue("Retry-After")).contains("30");
    }

    @Test
    void pathTraversalNames_neverReachAnotherRepository() throws Exception {
        calls.pushImage("team-b/secret", "v1", ROOT);
        for (String path : List.of("/v2/team-a/../team-b/secret/manifests/v1", "/v2/team-a/%2e%2e/x/manifests/v1",
                "/v2/..%2fetc/tags/list", "/v2/Team-A/app/tags/list")) {
            var r = calls.get(path, ALICE);
            // Either refused as malformed, or resolved to team-b/secret, which alice may not read.
            assertThat(r.statusCode()).as(path).isIn(400, 403, 404);
            assertThat(r.body()).as(path).startsWith("{\"errors\":[");
        }
    }

    @Test
    void oversizedHeaders_get431WithTheSpecsJson() throws Exception {
        var r = calls.get("/v2/", "Basic " + "A".repeat(20_000));

        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.body()).contains("HEADERS_TOO_LARGE");
    }

    @Test
    void corsPreflight_needsNoCredentials_andAllowedOriginsGetCorsHeaders() throws Exception {
        var preflight = calls.send(calls.request("/v2/team-a/app/manifests/v1", null)
                .method("OPTIONS", BodyPublishers.noBody()).header("Origin", "https://ui.example")
                .header("Access-Control-Request-Method", "PUT").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ui.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                m -> assertThat(m).contains("PUT"));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                h -> assertThat(h).contains("Authorization"));

        var actual = calls.send(calls.request("/v2/", ALICE).header("Origin", "https://ui.example").GET().build());
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ui.example");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                h -> assertThat(h).contains("Docker-Content-Digest", "WWW-Authenticate"));

        var stranger = calls.send(calls.request("/v2/", null).method("OPTIONS", BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET").build());
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(stranger.statusCode()).isNotEqualTo(204);
    }

    @Test
    void changedHtpasswdFile_isUsedWithoutRestart() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, Htpasswd.line("alice", "new-pw", 4) + "\n");
        Files.setLastModifiedTime(htpasswd, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().plusSeconds(5)));

        assertThat(calls.get("/v2/", basic("alice", "new-pw")).statusCode()).isEqualTo(200);
        assertThat(calls.get("/v2/", ALICE).statusCode()).isEqualTo(401);
    }

    @Test
    void rotatingXForwardedFor_fromAnUntrustedPeer_buysNoExtraGuesses() throws Exception {
        int[] statuses = new int[6];
        for (int i = 0; i < statuses.length; i++) {
            var res = registry.send(registry.request("/v2/").header("Authorization", basic("alice", "guess-" + i))
                    .header("X-Forwarded-For", "198.51.100." + i).GET().build());
            statuses[i] = res.statusCode();
        }
        // free = 2 in this set-up: the real peer is throttled whatever address the header claims.
        assertThat(statuses).contains(429);
        assertThat(statuses[statuses.length - 1]).isEqualTo(429);
    }
}
