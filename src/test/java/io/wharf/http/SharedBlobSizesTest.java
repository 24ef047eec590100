package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.testing.Await;
import io.wharf.testing.LogCapture;
import io.wharf.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage.cache.blobdescriptor: redis}: blob sizes one instance read or wrote are found in Redis by the
 * others, which then answer a blob {@code HEAD} without asking the storage for the size; with Redis gone they read
 * the storage instead, and answer the same.
 */
class SharedBlobSizesTest {
    @TempDir
    Path dir;

    private static long stats(TestRegistry r) {
        var timer = r.server().meters().find("registry.storage.action").tag("action", "Stat").timer();
        return timer == null ? 0 : timer.count();
    }

    private static RegistryConfig shared(RegistryConfig c, RegistryConfig.Redis redis) {
        RegistryConfig.Storage s = c.storage();
        // withStorage keeps only the first sections; redis is added after it.
        return TestRegistry.withStorage(c, x -> new RegistryConfig.Storage(s.driver(), s.deleteEnabled(),
                s.readOnly(), s.uploadPurging(), "redis", s.redirectDisabled())).withRedis(redis)
                .withHttp(c.http().withSecret("shared"));
    }

    @Test
    void startingWithRedisDown_saysSo_andRefusesWritesUntilItAnswers() throws Exception {
        RedisServer redis = RedisServer.start(dir);
        RegistryConfig.Redis settings = RegistryConfig.Redis.defaults(redis.addr());
        redis.kill();
        try (LogCapture log = new LogCapture("io.wharf.server.RegistryAssembly");
                TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> shared(c, settings))) {
            Await.until(() -> !log.lines().isEmpty(), Duration.ofSeconds(20), "the first contact with Redis");
            assertThat(log.lines()).singleElement().asString().contains("Redis at " + redis.addr() + " does not answer")
                    .contains("pushes, deletes and tag moves get 503");
            assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
            var push = r.call("POST", "/v2/team/app/blobs/uploads/", new byte[0]);
            assertThat(push.statusCode()).as("a write without the coordination it needs").isEqualTo(503);
            assertThat(new String(push.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("UNAVAILABLE");
        } finally {
            redis.close();
        }
    }

    @Test
    void sizesAreSharedThroughRedis_andWithoutItTheStorageAnswers() throws Exception {
        RedisServer redis = RedisServer.start(dir);
        try {
            Path root = dir.resolve("data");
            RegistryConfig.Redis settings = RegistryConfig.Redis.defaults(redis.addr());
            try (TestRegistry a = TestRegistry.start(root, c -> shared(c, settings));
                    TestRegistry b = TestRegistry.start(root, c -> shared(c, settings))) {
                TestRegistry.Image first = a.pushImage("team/app", "v1");

                long before = stats(b);
                var head = b.head("/v2/team/app/blobs/" + first.layer());
                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue((long) "layer of team/app:v1".length());
                // One stat: the repository's link to the blob. The size came from Redis.
                assertThat(stats(b) - before).as("storage stats by B for a blob A wrote").isEqualTo(1);

                TestRegistry.Image second = a.pushImage("team/other", "v1");
                try (LogCapture log = new LogCapture("io.wharf.registry.redis.RedisHealth")) {
                    redis.kill();
                    before = stats(b);
                    var without = b.head("/v2/team/other/blobs/" + second.layer());
                    assertThat(without.statusCode()).isEqualTo(200);
                    assertThat(without.headers().firstValueAsLong("Content-Length"))
                            .hasValue((long) "layer of team/other:v1".length());
                    assertThat(stats(b) - before).as("B read the link and the size from storage").isEqualTo(2);
                    assertThat(b.head("/v2/team/other/blobs/" + second.config()).statusCode()).isEqualTo(200);
                    // An instance serving only pulls says once that Redis is gone.
                    assertThat(log.lines()).singleElement().asString().contains("Redis does not answer");
                }
            }
        } finally {
            redis.close();
        }
    }
}
