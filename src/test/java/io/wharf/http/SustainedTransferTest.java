package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;
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
                blobs[i] = push(r, "volume/app", i);
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

    /** Streams a generated GiB into a monolithic upload; never holds it in memory. */
    private static Digest push(TestRegistry r, String repo, int seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new Generated(seed, GIB)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        Digest d = Digest.of(Digest.Algorithm.SHA256, sha.digest());
        var res = r.client().send(r.request("/v2/" + repo + "/blobs/uploads/?digest=" + d)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(seed, GIB)), GIB))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
        return d;
    }

    /** {@code size} bytes that depend on {@code seed}: a random MiB, each copy stamped with its index. */
    private static final class Generated extends InputStream {
        private final byte[] block = new byte[1 << 20];
        private final long size;
        private long position;

        Generated(int seed, long size) {
            new SplittableRandom(seed).nextBytes(block);
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int inBlock = (int) (position % block.length);
            if (inBlock == 0) {
                long index = position / block.length;
                for (int i = 0; i < 8; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
            }
            int n = (int) Math.min(Math.min(len, block.length - inBlock), size - position);
            System.arraycopy(block, inBlock, b, off, n);
            position += n;
            return n;
        }
    }
}
