package io.wharf.http;

import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two CI jobs moving one tag while two others delete it: every answer is a 201 or a 202/404, never a 5xx, and the
 * tag ends as the last acknowledged operation left it.
 */
class TagRaceTest extends RunningRegistryTest {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @Test
    void putsAndDeletesOfOneTag_neverAnswer5xx_andTheLastOneWins() throws Exception {
        TestRegistry.Image a = r.pushImage("race/app", "seed-a");
        TestRegistry.Image b = r.pushImage("race/app", "seed-b");
        ConcurrentHashMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            boolean putter = w < 2;
            String manifest = w % 2 == 0 ? a.manifest() : b.manifest();
            workers.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 150; i++) {
                    var res = putter
                            ? r.put("/v2/race/app/manifests/latest", utf8(manifest), "Content-Type", MANIFEST)
                            : r.delete("/v2/race/app/manifests/latest");
                    statuses.merge(res.statusCode(), 1, Integer::sum);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : workers) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(statuses.keySet()).as("statuses seen: %s", statuses).allMatch(s -> s < 500);
        assertThat(statuses).containsKey(201);

        // The last acknowledged operation decides: a put now is what a pull sees.
        r.put("/v2/race/app/manifests/latest", utf8(b.manifest()), "Content-Type", MANIFEST);
        var pulled = r.get("/v2/race/app/manifests/latest", "Accept", MANIFEST);
        assertThat(pulled.headers().firstValue("Docker-Content-Digest")).contains(b.digest().toString());
        assertThat(r.delete("/v2/race/app/manifests/latest").statusCode()).isEqualTo(202);
        assertThat(r.get("/v2/race/app/manifests/latest", "Accept", MANIFEST).statusCode()).isEqualTo(404);
    }
}
