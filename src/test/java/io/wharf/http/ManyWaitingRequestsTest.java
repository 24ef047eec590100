package io.wharf.http;

import static io.wharf.http.TestRegistry.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.wharf.spec.Digest;
import io.wharf.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of requests blocked on their clients at once (uploads whose bodies stop midway) hold nothing that other
 * requests need: no thread (Jetty's thread pools cap their tasks at 200 unless told otherwise, and a capped pool stops
 * the network loop itself until one of the blocked requests ends) and no lock but their own (an upload holds its
 * lock while its client sends; locks shared by unrelated keys made a new upload wait for a stalled one one time in
 * four here).
 */
class ManyWaitingRequestsTest {
    /** More than any default cap of Jetty's pools, well under the registry's own cap of 1,024 requests at once. */
    private static final int WAITING = 300;
    private static final int SIZE = 16 * 1024;

    @Test
    void uploadsWaitingForTheirBodies_doNotHoldUpOtherRequests(@TempDir Path root) throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            List<Socket> uploads = new ArrayList<>();
            List<byte[]> blobs = new ArrayList<>();
            try {
                for (int i = 0; i < WAITING; i++) {
                    byte[] blob = new byte[SIZE];
                    Arrays.fill(blob, (byte) i);
                    blob[0] = (byte) (i >> 8);
                    blobs.add(blob);
                    Socket s = new Socket("127.0.0.1", r.server().port());
                    uploads.add(s);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v2/waiting/blobs/uploads/?digest=" + sha256(blob) + " HTTP/1.1\r\n"
                            + "Host: x\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(blob, 0, SIZE / 2);
                    out.flush();
                }
                Await.until(() -> inFlight(r) >= WAITING, Duration.ofSeconds(30),
                        WAITING + " uploads being received at once");

                // Raw requests with a read timeout: a stalled server fails the test instead of hanging it.
                assertThat(r.raw("GET", "/v2/").status()).isEqualTo(200);
                byte[] other = "served while the others wait".getBytes(StandardCharsets.UTF_8);
                Digest pushed = sha256(other);
                assertThat(r.raw("POST", "/v2/other/blobs/uploads/?digest=" + pushed, other,
                        "Content-Type", "application/octet-stream").status()).isEqualTo(201);
                assertThat(r.raw("GET", "/v2/other/blobs/" + pushed).body()).isEqualTo(other);

                for (int i = 0; i < WAITING; i++) {
                    OutputStream out = uploads.get(i).getOutputStream();
                    out.write(blobs.get(i), SIZE / 2, SIZE - SIZE / 2);
                    out.flush();
                }
                for (Socket s : uploads) {
                    assertThat(statusLine(s.getInputStream())).startsWith("HTTP/1.1 201");
                }
            } finally {
                for (Socket s : uploads) {
                    s.close();
                }
            }
            for (byte[] blob : blobs) {
                assertThat(r.get("/v2/waiting/blobs/" + sha256(blob)).body()).isEqualTo(blob);
            }
        }
    }

    private static double inFlight(TestRegistry r) {
        return r.server().meters().find("registry.http.in_flight_requests").gauges().stream()
                .mapToDouble(Gauge::value).sum();
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
