package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.http.TestRegistry;
import io.wharf.spec.Digest;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wharf and Distribution 2.8.2 ({@code docker-registry}) behind one round-robin load balancer, as during a switch
 * of binaries: one data directory, one {@code http.secret}, and a chunked upload whose requests alternate between
 * the two, each following the {@code Location} (with its signed {@code _state}) the other answered. Both directions,
 * then the blob through both.
 */
@Tag("e2e")
class MixedUploadHopTest {
    private static final String SECRET = "the same secret on every instance";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void setUp() {
        ExternalTool.DOCKER_REGISTRY.require();
        root = tmp.resolve("data");
    }

    @Test
    void startedOnDistribution_continuedByBoth_completedOnDistribution() throws Exception {
        withBoth((d, w) -> {
            hop(new Target[] {d, w, d, w, d}, "mixed/from-distribution", 1);
            hop(new Target[] {d, w, d, w, w}, "mixed/from-distribution", 2);
        });
    }

    @Test
    void startedOnWharf_continuedByBoth_completedOnEither() throws Exception {
        withBoth((d, w) -> {
            hop(new Target[] {w, d, w, d, w}, "mixed/from-wharf", 3);
            hop(new Target[] {w, d, w, d, d}, "mixed/from-wharf", 4);
        });
    }

    @FunctionalInterface
    private interface Pair {
        void run(Target distribution, Target wharf) throws Exception;
    }

    private void withBoth(Pair body) throws Exception {
        try (RegistryProcess distribution = RegistryProcess.distribution(root, tmp.resolve("distribution"),
                "  secret: " + SECRET + "\n");
                TestRegistry wharf = TestRegistry.start(root, c -> TestRegistry.withHttp(c, h -> h.withSecret(SECRET)))) {
            body.run(new Target("distribution", distribution.base()), new Target("wharf", wharf.base()));
        }
    }

    /**
     * {@code POST} on the first target, a {@code PATCH} on each of the next three, the closing {@code PUT} on the
     * last; then the blob is read through both servers.
     */
    private static void hop(Target[] order, String repo, int seed) throws Exception {
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        new Random(seed).nextBytes(blob);
        Digest digest = TestRegistry.sha256(blob);
        HttpResponse<byte[]> started = order[0].send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]);
        assertThat(started.statusCode()).as("POST on %s", order[0]).isEqualTo(202);
        String location = location(started);
        int[] cuts = {0, 1024 * 1024, 2 * 1024 * 1024 + 5, blob.length};
        for (int i = 0; i < 3; i++) {
            Target t = order[i + 1];
            HttpResponse<byte[]> patched = t.send("PATCH", location, Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]));
            assertThat(patched.statusCode()).as("chunk %s on %s at %s: %s", i, t, location,
                    TestRegistry.text(patched)).isEqualTo(202);
            assertThat(patched.headers().firstValue("Range")).as("chunk %s on %s", i, t)
                    .contains("0-" + (cuts[i + 1] - 1));
            location = location(patched);
            assertThat(location).as("%s's Location", t).contains("_state=");
        }
        Target last = order[4];
        HttpResponse<byte[]> done = last.send("PUT", location + "&digest=" + digest, new byte[0]);
        assertThat(done.statusCode()).as("PUT on %s: %s", last, TestRegistry.text(done)).isEqualTo(201);
        for (Target t : new Target[] {order[0], order[1]}) {
            HttpResponse<byte[]> got = t.send("GET", "/v2/" + repo + "/blobs/" + digest, null);
            assertThat(got.statusCode()).as("GET through %s", t).isEqualTo(200);
            assertThat(TestRegistry.sha256(got.body())).as("blob through %s", t).isEqualTo(digest);
        }
    }

    private static String location(HttpResponse<byte[]> r) {
        URI u = URI.create(r.headers().firstValue("Location").orElseThrow());
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private record Target(String name, URI base) {
        HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                b.header("Content-Type", "application/octet-stream");
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
