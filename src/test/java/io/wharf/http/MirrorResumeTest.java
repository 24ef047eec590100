package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.RegistryConfig;
import io.wharf.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream's connection dies in the middle of a layer the mirror is fetching (a TCP proxy between them cuts it
 * after 5 MiB): the mirror resumes with a range request, the client gets the whole layer with the right digest, and
 * the mirror keeps it.
 */
class MirrorResumeTest {
    private static final int CUT_AFTER = 5 << 20;

    @TempDir
    Path dir;

    /** Forwards TCP to the upstream; the first connection that carries a blob GET is cut after {@link #CUT_AFTER}. */
    static final class CuttingProxy implements AutoCloseable {
        final ServerSocket server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicBoolean cut = new AtomicBoolean();
        private final int upstreamPort;
        private final boolean refuseAfterCut;
        private final boolean stall;
        /** Set to make the upstream ignore ranges: the proxy drops {@code Range} from requests. */
        volatile boolean dropRanges;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        CuttingProxy(int upstreamPort) throws IOException {
            this(upstreamPort, false, false);
        }

        CuttingProxy(int upstreamPort, boolean refuseAfterCut) throws IOException {
            this(upstreamPort, refuseAfterCut, false);
        }

        /**
         * With {@code refuseAfterCut}, the upstream stays "dead" after the cut: later connections are refused. With
         * {@code stall}, the cut connection is not closed but goes silent, until this proxy is closed.
         */
        CuttingProxy(int upstreamPort, boolean refuseAfterCut, boolean stall) throws IOException {
            this.upstreamPort = upstreamPort;
            this.refuseAfterCut = refuseAfterCut;
            this.stall = stall;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    AtomicBoolean armed = new AtomicBoolean();
                    Thread.ofVirtual().start(() -> pipe(client, upstream, armed, true));
                    Thread.ofVirtual().start(() -> pipe(upstream, client, armed, false));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pipe(Socket from, Socket to, AtomicBoolean armed, boolean request) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buf = new byte[64 * 1024];
                long sent = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (request) {
                        String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        if (dropRanges && text.startsWith("GET ")) {
                            text = text.replaceAll("(?im)^range: [^\r\n]*\r\n", "");
                            byte[] without = text.getBytes(StandardCharsets.ISO_8859_1);
                            System.arraycopy(without, 0, buf, 0, without.length);
                            n = without.length;
                        }
                        if (text.startsWith("GET ") && text.contains("/blobs/sha256:")) {
                            requests.add(text.substring(0, text.indexOf("\r\n\r\n") > 0 ? text.indexOf("\r\n\r\n")
                                    : text.length()));
                            if (cut.compareAndSet(false, true)) {
                                armed.set(true);
                            }
                        }
                    } else if (armed.get() && sent + n > CUT_AFTER) {
                        out.write(buf, 0, (int) (CUT_AFTER - sent));
                        out.flush();
                        if (stall) {
                            // The upstream hangs: the connection stays open and nothing more comes.
                            closed.await();
                        }
                        // The upstream "dies": both sides of this connection go away mid-body.
                        from.close();
                        to.close();
                        if (refuseAfterCut) {
                            server.close();
                        }
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    sent += n;
                }
            } catch (IOException e) {
                // The other direction closed the connection.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // Already closed.
                }
            }
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            server.close();
        }
    }

    /** A mirror of the registry at {@code port} under the prefix {@code up}, with this upstream timeout. */
    private RegistryConfig.Proxy mirrorOf(int port, Duration timeout) {
        return new RegistryConfig.Proxy(List.of(new RegistryConfig.ProxyUpstream("up",
                URI.create("http://127.0.0.1:" + port + "/"), "", "", Duration.ofDays(7), Duration.ofMinutes(1), "")),
                dir.resolve("spool"), timeout);
    }

    @Test
    void aFetchTheUpstreamBreaksOff_isResumedWithARange() throws Exception {
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"));
                CuttingProxy proxy = new CuttingProxy(upstream.server().port())) {
            byte[] layer = new byte[20 << 20];
            new Random(9).nextBytes(layer);
            Digest digest = upstream.pushBlob("team/app", layer);
            RegistryConfig.Proxy config = mirrorOf(proxy.port(), Duration.ofSeconds(10));
            try (TestRegistry mirror = TestRegistry.start(dir.resolve("mirror"), c -> c.withProxy(config))) {
                var pulled = mirror.get("/v2/up/team/app/blobs/" + digest);
                assertThat(pulled.statusCode()).isEqualTo(200);
                assertThat(TestRegistry.sha256(pulled.body())).isEqualTo(digest);
                assertThat(proxy.cut).isTrue();
                assertThat(proxy.requests).hasSize(2);
                assertThat(proxy.requests.get(0)).doesNotContainIgnoringCase("range:");
                assertThat(proxy.requests.get(1)).containsIgnoringCase("range: bytes=");
                // Kept: the next pull does not ask the upstream.
                assertThat(TestRegistry.sha256(mirror.get("/v2/up/team/app/blobs/" + digest).body()))
                        .isEqualTo(digest);
                assertThat(proxy.requests).hasSize(2);
                awaitFetchesDone("the fetch finished");
            }
        }
    }

    @Test
    void aFetchTheUpstreamStopsSending_isResumedAfterTheTimeout() throws Exception {
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"));
                CuttingProxy proxy = new CuttingProxy(upstream.server().port(), false, true)) {
            byte[] layer = new byte[12 << 20];
            new Random(11).nextBytes(layer);
            Digest digest = upstream.pushBlob("team/app", layer);
            RegistryConfig.Proxy config = mirrorOf(proxy.port(), Duration.ofSeconds(1));
            try (TestRegistry mirror = TestRegistry.start(dir.resolve("mirror"), c -> c.withProxy(config))) {
                var pulled = mirror.get("/v2/up/team/app/blobs/" + digest);

                assertThat(pulled.statusCode()).isEqualTo(200);
                assertThat(TestRegistry.sha256(pulled.body())).isEqualTo(digest);
                assertThat(proxy.requests).hasSize(2);
                assertThat(proxy.requests.get(1)).containsIgnoringCase("range: bytes=");
                awaitFetchesDone("the blob kept");
                assertThat(java.nio.file.Files.exists(dir.resolve("mirror/docker/registry/v2/repositories/up/team/app"
                        + "/_layers/sha256/" + digest.hex() + "/link"))).isTrue();
            }
        }
    }

    @Test
    void anUpstreamThatIgnoresTheRange_isReadPastWhatTheFetchHas() throws Exception {
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"));
                CuttingProxy proxy = new CuttingProxy(upstream.server().port())) {
            proxy.dropRanges = true;
            byte[] layer = new byte[12 << 20];
            new Random(13).nextBytes(layer);
            Digest digest = upstream.pushBlob("team/app", layer);
            try (TestRegistry mirror = TestRegistry.start(dir.resolve("mirror"),
                    c -> c.withProxy(mirrorOf(proxy.port(), Duration.ofSeconds(10))))) {
                var pulled = mirror.get("/v2/up/team/app/blobs/" + digest);

                assertThat(pulled.statusCode()).isEqualTo(200);
                assertThat(TestRegistry.sha256(pulled.body())).isEqualTo(digest);
                assertThat(proxy.requests).hasSize(2);
                assertThat(proxy.requests.get(1)).doesNotContainIgnoringCase("range:");
                awaitFetchesDone("the fetch finished");
            }
        }
    }

    /** Waits until no fetch holds a spool file: the client may have its bytes before the fetch has stored them. */
    private void awaitFetchesDone(String what) throws Exception {
        io.wharf.testing.Await.until(() -> {
            try (var files = java.nio.file.Files.list(dir.resolve("spool"))) {
                return files.findAny().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30), what);
    }

    @Test
    void aBlobTheUpstreamSendsWrong_neverReachesAClientWhole() throws Exception {
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"))) {
            byte[] layer = new byte[1 << 20];
            new Random(12).nextBytes(layer);
            Digest digest = upstream.pushBlob("team/app", layer);
            // The upstream's copy rots on its disk: same size, one byte changed.
            Path data = dir.resolve("up/docker/registry/v2/blobs/sha256/" + digest.hex().substring(0, 2) + "/"
                    + digest.hex() + "/data");
            byte[] rotten = java.nio.file.Files.readAllBytes(data);
            rotten[rotten.length / 2] ^= 1;
            java.nio.file.Files.write(data, rotten);
            RegistryConfig.Proxy config = mirrorOf(upstream.server().port(), Duration.ofSeconds(10));
            try (TestRegistry mirror = TestRegistry.start(dir.resolve("mirror"), c -> c.withProxy(config))) {
                String path = "/v2/up/team/app/blobs/" + digest;
                for (int i = 0; i < 2; i++) {
                    java.net.http.HttpResponse<byte[]> answer;
                    try {
                        answer = mirror.get(path);
                    } catch (IOException cutShort) {
                        continue;
                    }
                    // Whatever came back is not the rotten blob served as if whole.
                    assertThat(answer.statusCode() == 200 && answer.body().length == layer.length)
                            .as("a whole answer of %d bytes with status %d", answer.body().length, answer.statusCode())
                            .isFalse();
                }
                awaitFetchesDone("the failed fetches cleaned up");
                assertThat(java.nio.file.Files.exists(dir.resolve("mirror/docker/registry/v2/blobs/sha256/"
                        + digest.hex().substring(0, 2) + "/" + digest.hex() + "/data"))).as("never stored").isFalse();
            }
        }
    }
}
