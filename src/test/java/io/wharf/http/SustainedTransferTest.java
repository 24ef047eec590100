package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume through one server: more than 2^33 bytes (8.6 GiB) served and several GiB received, every byte verified,
 * and afterwards every kind of request still answered. Jetty's rate handler, used before, overflowed a server-wide
 * counter at about 8.6 GiB and failed every request from then on.
 */
class SustainedTransferTest {
    private static final long GIB = 1L << 30;
    private static final int PUSHES = 3;
    private static final int PULLS = 9;

    @TempDir
    Path root;

    @Test
    void nineGibibytesServed_threeReceived_andTheServerStillAnswersEverything() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            Digest[] blobs = new Digest[PUSHES];
            for (int i = 0; i < PUSHES; i++) {
                blobs[i] = r.pushGenerated("volume/app", i, GIB);
            }
            long served = 0;
            for (int i = 0; i < PULLS; i++) {
                Digest d = blobs[i % PUSHES];
                var res = r.client().send(r.request("/v2/volume/app/blobs/" + d).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(res.statusCode()).isEqualTo(200);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 20];
                try (InputStream in = res.body()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                        served += n;
                    }
                }
                assertThat(Digest.of(Digest.Algorithm.SHA256, sha.digest())).isEqualTo(d);
            }
            assertThat(served).isGreaterThan(1L << 33);

            assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
            TestRegistry.Image image = r.pushImage("volume/after", "v1");
            assertThat(r.get("/v2/volume/after/manifests/v1", "Accept", Manifests.OCI_MANIFEST).statusCode())
                    .isEqualTo(200);
            assertThat(r.get("/v2/volume/after/blobs/" + image.layer()).statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/volume/after/tags/list").statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/_catalog").statusCode()).isEqualTo(200);
        }
    }
}
