package io.wharf.http;

import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Wharf servers on one storage, coordinated through a real {@code redis-server}: a push through one is pulled
 * through the other, a tag deleted through one is gone on the other within a second, and the tag race across the
 * two answers no 5xx.
 */
class TwoInstancesTest {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    @TempDir
    Path dir;

    @Test
    void twoInstancesWithRedis_shareContent_seeDeletesAtOnce_andRaceWithout5xx() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            Path root = dir.resolve("data");
            RegistryConfig.Redis shared = RegistryConfig.Redis.defaults(redis.addr());
            try (TestRegistry a = TestRegistry.start(root, c -> c.withRedis(shared).withHttp(c.http().withSecret("shared")));
                    TestRegistry b = TestRegistry.start(root, c -> c.withRedis(shared).withHttp(c.http().withSecret("shared")))) {
                TestRegistry.Image image = a.pushImage("shared/app", "v1");
                var viaB = b.get("/v2/shared/app/manifests/v1", "Accept", MANIFEST);
                assertThat(viaB.statusCode()).isEqualTo(200);
                assertThat(viaB.headers().firstValue("Docker-Content-Digest")).contains(image.digest().toString());

                assertThat(a.delete("/v2/shared/app/manifests/v1").statusCode()).isEqualTo(202);
                io.wharf.testing.Await.until(() -> status(b, "/v2/shared/app/manifests/v1") == 404,
                        Duration.ofSeconds(1), "the delete through A seen through B within a second");

                // The catalog too: a repository created or deleted through A is listed so by B within a second.
                assertThat(catalog(b)).contains("shared/app");
                a.pushImage("fresh/app", "v1");
                io.wharf.testing.Await.until(() -> catalog(b).contains("fresh/app"), Duration.ofSeconds(1),
                        "B lists the repository created through A");
                assertThat(a.delete("/admin/repositories/fresh/app").statusCode()).isEqualTo(202);
                io.wharf.testing.Await.until(() -> !catalog(b).contains("fresh/app"), Duration.ofSeconds(1),
                        "B no longer lists the repository deleted through A");

                ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    TestRegistry instance = w % 2 == 0 ? a : b;
                    boolean putter = w < 2;
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < 100; i++) {
                            var res = putter ? instance.put("/v2/shared/app/manifests/latest", utf8(image.manifest()),
                                    "Content-Type", MANIFEST) : instance.delete("/v2/shared/app/manifests/latest");
                            statuses.merge(res.statusCode(), 1, Integer::sum);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(5, TimeUnit.MINUTES);
                }
                pool.shutdown();
                assertThat(statuses.keySet()).as("statuses: %s", statuses).allMatch(s -> s < 500);
            }
        }
    }

    private static int status(TestRegistry r, String path) {
        try {
            return r.get(path, "Accept", MANIFEST).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String catalog(TestRegistry r) {
        try {
            return TestRegistry.text(r.get("/v2/_catalog"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
