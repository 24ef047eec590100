package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request bodies are read in 32 KiB steps, not Jetty's 8 KiB (the server's CPU per pushed GiB, BENCHMARKS.md). */
class RequestReadBufferTest {
    @TempDir
    Path dir;

    @Test
    void theConnectorReadsBodiesIn32KiBSteps_andAPushLargerThanManyStepsIsStoredIntact() throws Exception {
        try (TestRegistry r = TestRegistry.start(dir.resolve("data"))) {
            assertThat(r.server().requestReadBufferSize()).isEqualTo(32 * 1024);

            byte[] blob = new byte[5 * 1024 * 1024 + 17];
            new Random(7).nextBytes(blob);
            var digest = r.pushBlob("big/one", blob);

            var pulled = r.get("/v2/big/one/blobs/" + digest);
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(TestRegistry.sha256(pulled.body())).isEqualTo(digest);
        }
    }
}
