package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration's {@code sync.jobs} run inside the server from its start: a pull job copies a remote's
 * repository into this registry under a prefix, a push job copies this registry's repository to the remote. Each
 * result is checked by digest at the other side; the run is counted in the job's meters.
 */
class SyncJobsTest {
    @TempDir
    Path dir;

    private static RegistryConfig.SyncJob job(String name, boolean pull, URI remote, String repositories,
            String prefix) {
        return new RegistryConfig.SyncJob(name, pull, remote, "", "", false, List.of(repositories), List.of(), prefix,
                Duration.ofHours(1), true);
    }

    private static boolean has(TestRegistry registry, String repo, String tag, String digest) {
        try {
            var r = registry.head("/v2/" + repo + "/manifests/" + tag, "Accept", Manifests.OCI_MANIFEST);
            return r.statusCode() == 200 && r.headers().firstValue("Docker-Content-Digest").orElse("").equals(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double runs(TestRegistry registry, String job) {
        var counter = registry.server().meters().find("wharf_sync_runs_total").tag("job", job).tag("result", "ok")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPullJobCopiesIntoThisRegistry_aPushJobCopiesOut() throws Exception {
        TestRegistry.Image mine;
        try (TestRegistry local = TestRegistry.start(dir.resolve("local"))) {
            mine = local.pushImage("team/app", "2.0");
        }
        try (TestRegistry remote = TestRegistry.start(dir.resolve("remote"))) {
            TestRegistry.Image upstream = remote.pushImage("vendor/tool", "1.0");
            try (TestRegistry local = TestRegistry.start(dir.resolve("local"), c -> c.withSync(
                    new RegistryConfig.Sync(List.of(job("in", true, remote.base(), "vendor/*", "mirror/"),
                            job("out", false, remote.base(), "team/app", "backup/")), dir.resolve("state"))))) {
                Await.until(() -> runs(local, "in") == 1 && runs(local, "out") == 1, Duration.ofSeconds(30),
                        "both jobs' first runs succeeded");

                assertThat(has(local, "mirror/vendor/tool", "1.0", upstream.digest().toString())).isTrue();
                assertThat(has(remote, "backup/team/app", "2.0", mine.digest().toString())).isTrue();
                assertThat(TestRegistry.sha256(local.get("/v2/mirror/vendor/tool/blobs/" + upstream.layer()).body()))
                        .isEqualTo(upstream.layer());
            }
        }
    }
}
