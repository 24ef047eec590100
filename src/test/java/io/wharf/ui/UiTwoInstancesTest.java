package io.wharf.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Await;
import io.wharf.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's views on two instances sharing storage and a real {@code redis-server}: a tag pushed or deleted through
 * one shows in the other's API within a second, and a session opened on one is accepted by the other (shared
 * {@code http.secret}).
 */
class UiTwoInstancesTest {
    @TempDir
    Path dir;

    @Test
    void tagsPushedOrDeletedThroughOneInstance_showOnTheOtherWithinASecond() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            Path root = dir.resolve("data");
            RegistryConfig.Redis shared = RegistryConfig.Redis.defaults(redis.addr());
            java.util.function.UnaryOperator<RegistryConfig> config = c -> TestRegistry.withHttp(c, h ->
                    new RegistryConfig.Http(h.addr(), h.net(), h.prefix(), h.host(), "a shared secret",
                            h.relativeUrls(), h.headers(), h.drainTimeout())).withRedis(shared);
            try (TestRegistry a = TestRegistry.start(root, config); TestRegistry b = TestRegistry.start(root, config)) {
                a.pushImage("shared/app", "v1");
                ApiClient viaA = new ApiClient(a.base());
                viaA.session();
                assertThat(UiApiTest.names(viaA.get("tags?repository=shared/app"))).containsExactly("v1");

                b.pushImage("shared/app", "v2");
                Await.until(() -> tags(viaA).equals(List.of("v2", "v1")), Duration.ofSeconds(1),
                        "A's view shows the tag pushed through B");
                assertThat(b.delete("/v2/shared/app/manifests/v1").statusCode()).isEqualTo(202);
                Await.until(() -> tags(viaA).equals(List.of("v2")), Duration.ofSeconds(1),
                        "A's view drops the tag deleted through B");

                // The session cookie A issued, presented to B: the same key, derived from the shared secret.
                var fromB = new ApiClient(b.base());
                String cookie = sessionCookie(a);
                var answer = fromB.call("DELETE", "tag?repository=shared/app&tag=v2", null, "Cookie", cookie,
                        "X-CSRF-Token", csrfOf(a, cookie));
                assertThat(answer.statusCode()).as(ApiClient.text(answer)).isEqualTo(200);
            }
        }
    }

    private static List<String> tags(ApiClient api) {
        try {
            return UiApiTest.names(api.get("tags?repository=shared/app"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh anonymous session from {@code r}: its {@code Cookie} header value. */
    private static String sessionCookie(TestRegistry r) throws Exception {
        var answer = r.get("/api/v1/session");
        String set = answer.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    /** The CSRF token of the session the cookie carries, as the issuing instance reports it. */
    private static String csrfOf(TestRegistry r, String cookie) throws Exception {
        return TestRegistry.json(r.get("/api/v1/session", "Cookie", cookie)).path("csrf").asText();
    }
}
