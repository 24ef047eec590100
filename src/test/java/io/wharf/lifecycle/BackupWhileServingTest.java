package io.wharf.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
import io.wharf.lifecycle.PushClient.Desc;
import io.wharf.testing.Command;
import io.wharf.testing.RegistryProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf backup} of a registry that keeps taking pushes, then {@code wharf restore} into an empty directory:
 * the restore verifies clean, every tag the backup holds pulls completely from a server on the restored data, and a
 * second backup copies only what is new.
 */
class BackupWhileServingTest {
    @TempDir
    Path dir;

    @Test
    void backupTakenDuringPushes_restoresToAConsistentRegistry() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        ConcurrentHashMap<String, String> pushed = new ConcurrentHashMap<>();
        try (TestRegistry live = TestRegistry.start(data)) {
            PushClient client = new PushClient(live);
            for (int i = 0; i < 20; i++) {
                pushImage(client, "app/base", "t" + i, i, pushed);
            }
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pushers = Executors.newFixedThreadPool(3);
            List<Future<Integer>> done = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int pusher = p;
                done.add(pushers.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        pushImage(client, "app/live" + pusher, "n" + n, 1000 * (pusher + 1) + n, pushed);
                        n++;
                    }
                    return n;
                }));
            }
            var first = backup(data, backup);
            stop.set(true);
            int during = 0;
            for (Future<Integer> f : done) {
                during += f.get();
            }
            pushers.shutdown();
            assertThat(first.exitCode()).as(first.output()).isZero();
            assertThat(during).as("pushes while the backup ran").isPositive();

            var second = backup(data, backup);
            assertThat(second.exitCode()).as(second.output()).isZero();
            var third = backup(data, backup);
            assertThat(third.stdout()).as("nothing new: nothing copied").contains("0 blobs copied (0 bytes)");
        }

        var restore = Command.of(RegistryProcess.wharfCommand("restore", "--to-dir", restored.toString(),
                backup.toString())).timeout(Duration.ofMinutes(3)).run();
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(restore.stdout()).contains("0 corrupt, 0 dangling links, 0 missing");
        try (TestRegistry fromBackup = TestRegistry.start(restored)) {
            for (var tag : pushed.entrySet()) {
                String[] repoAndTag = tag.getKey().split(":");
                var manifest = fromBackup.get("/v2/" + repoAndTag[0] + "/manifests/" + repoAndTag[1],
                        "Accept", PushClient.MANIFEST);
                assertThat(manifest.statusCode()).as(tag.getKey()).isEqualTo(200);
                assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(tag.getValue());
                var layers = TestRegistry.JSON.readTree(manifest.body()).path("layers");
                for (var layer : layers) {
                    var blob = fromBackup.get("/v2/" + repoAndTag[0] + "/blobs/" + layer.path("digest").asText());
                    assertThat(blob.statusCode()).isEqualTo(200);
                    assertThat(TestRegistry.sha256(blob.body()).toString()).isEqualTo(layer.path("digest").asText());
                }
            }
        }
    }

    private static Command.Result backup(Path data, Path backup) {
        return Command.of(RegistryProcess.wharfCommand("backup", "--from-dir", data.toString(), backup.toString()))
                .timeout(Duration.ofMinutes(3)).run();
    }

    private static void pushImage(PushClient client, String repo, String tag, int seed,
            ConcurrentHashMap<String, String> pushed) throws Exception {
        Desc layer = client.blob(repo, ("layer " + seed + " ").repeat(2_000).getBytes(StandardCharsets.UTF_8),
                PushClient.LAYER);
        Desc config = client.blob(repo, ("{\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8), PushClient.CONFIG);
        var r = client.putManifest(repo, tag, PushClient.imageJson(config, List.of(layer)), PushClient.MANIFEST);
        PushClient.check(r, 201, "push " + repo + ":" + tag);
        pushed.put(repo + ":" + tag, r.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }
}
