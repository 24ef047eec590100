package io.wharf.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.testing.RegistryProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM as an orchestrator sends it: the server stops accepting at once, a large upload in progress completes
 * within {@code http.draintimeout}, and the process exits 0 by itself.
 */
class GracefulShutdownTest {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 48;

    @TempDir
    Path dir;

    @Test
    void sigtermDuringALargeUpload_letsItComplete_thenExitsZero() throws Exception {
        try (RegistryProcess wharf = RegistryProcess.wharf(dir.resolve("data"), dir, "  draintimeout: 60s\n")) {
            HttpClient client = HttpClient.newHttpClient();
            var start = client.send(HttpRequest.newBuilder(wharf.base().resolve("/v2/big/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(start.statusCode()).isEqualTo(202);
            URI upload = wharf.base().resolve(start.headers().firstValue("Location").orElseThrow());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[CHUNK];

            try (Socket s = new Socket("127.0.0.1", URI.create(wharf.base().toString()).getPort())) {
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                String path = upload.getRawPath() + "?" + upload.getRawQuery();
                out.write(("PATCH " + path.replace("?null", "") + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + (long) CHUNK * CHUNKS
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < CHUNKS; i++) {
                    java.util.Arrays.fill(chunk, (byte) i);
                    try {
                        out.write(chunk);
                    } catch (IOException e) {
                        wharf.awaitExit(Duration.ofSeconds(10));
                        throw new AssertionError("upload cut off at MiB " + i + ": " + wharf.describe(), e);
                    }
                    sha.update(chunk);
                    if (i == 4) {
                        out.flush();
                        awaitBytesReceived(client, upload);
                        wharf.terminate();
                        assertNewConnectionsRefused(wharf);
                    }
                }
                out.flush();
                String head = readHead(s.getInputStream());
                assertThat(head).as("the upload in flight when SIGTERM came").startsWith("HTTP/1.1 202");
                assertThat(head).containsIgnoringCase("Range: 0-" + ((long) CHUNK * CHUNKS - 1));
            }
            OptionalInt exit = wharf.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).as("exited by itself: %s", wharf.describe()).isPresent();
            assertThat(exit.getAsInt()).as(wharf.describe()).isZero();
            assertThat(HexFormat.of().formatHex(sha.digest())).hasSize(64);
        }
    }

    /** Waits until the server is storing the upload's body, so that the request is in flight. */
    private static void awaitBytesReceived(HttpClient client, URI upload) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var status = client.send(HttpRequest.newBuilder(upload).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            String range = status.headers().firstValue("Range").orElse("0-0");
            if (!range.equals("0-0")) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the server never started storing the upload");
    }

    /**
     * Once the server stops accepting, a new connection is refused (or closed without an answer). Meanwhile the
     * upload pauses for as long as this takes, as a client on a bad link would.
     */
    private static void assertNewConnectionsRefused(RegistryProcess wharf) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", wharf.base().getPort()), 1_000);
                probe.setSoTimeout(2_000);
                probe.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (probe.getInputStream().read() < 0) {
                    return;
                }
            } catch (IOException refused) {
                return;
            }
            Thread.onSpinWait();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", wharf.base().getPort()).close())
                .as("still accepting 20 s after SIGTERM").isInstanceOf(IOException.class);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
