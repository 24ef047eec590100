package io.wharf.http;

import static io.wharf.http.TestRegistry.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTP parsing, so one open registry on the filesystem rather than the whole matrix (with authentication on, the
 * raw requests would be refused before their bodies are read).
 *
 * <p>Broken requests are the client's fault: a 4xx (505 for an HTTP version Jetty does not speak) with the spec's JSON
 * error body, never a 500, and an upload they interrupt stays resumable.
 */
class MalformedHttpTest {
    @TempDir
    Path root;
    TestRegistry r;

    @BeforeEach
    void start() throws Exception {
        r = TestRegistry.start(root);
    }

    @AfterEach
    void stop() throws Exception {
        r.close();
    }

    private static final String ZERO_DIGEST = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/9.9 | GET /v2/ HTTP/9.9\\r\\nHost: x\\r\\n\\r\\n | 505 | UNSUPPORTED",
        "HTTP/0.9 | GET /v2/\\r\\n\\r\\n | 505 | UNSUPPORTED",
        "absurd Content-Length on a monolithic push | POST /v2/a/blobs/uploads/?digest=" + ZERO_DIGEST
            + " HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1000000000000000000\\r\\n\\r\\nabc | 400 | SIZE_INVALID",
        "absurd Content-Length on a manifest | PUT /v2/a/manifests/t HTTP/1.1\\r\\nHost: x\\r\\n"
            + "Content-Length: 1000000000000000000\\r\\n\\r\\n{} | 400 | SIZE_INVALID",
        "negative Content-Length | PUT /v2/a/manifests/t HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: -5\\r\\n\\r\\n"
            + " | 400 | REQUEST_INVALID",
        "Content-Length with chunked | POST /v2/a/blobs/uploads/ HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\n"
            + "Transfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400 | REQUEST_INVALID",
        "broken chunk size on a blob push | POST /v2/a/blobs/uploads/?digest=" + ZERO_DIGEST
            + " HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nZZ\\r\\nabc\\r\\n0\\r\\n\\r\\n"
            + " | 400 | BLOB_UPLOAD_INVALID",
        "broken chunk on a manifest | PUT /v2/a/manifests/t HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: "
            + "application/vnd.oci.image.manifest.v1+json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nabc\\r\\nXX\\r\\n"
            + " | 400 | MANIFEST_INVALID",
        "body shorter than its Content-Length | PUT /v2/a/manifests/t HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: "
            + "application/vnd.oci.image.manifest.v1+json\\r\\nContent-Length: 100\\r\\n\\r\\n{} | 400 | MANIFEST_INVALID",
    })
    void brokenRequest_isAClientErrorWithTheSpecBody(String name, String request, int status, String code)
            throws Exception {
        var res = r.rawExact(request.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(res.status()).as(name).isEqualTo(status);
        assertThat(res.header("content-type")).startsWith("application/json");
        assertThat(TestRegistry.JSON.readTree(res.body()).at("/errors/0/code").asText()).isEqualTo(code);
        assertThat(r.get("/v2/").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void clientDisconnectingInTheMiddleOfAPatch_leavesTheUploadResumableFromWhatArrived() throws Exception {
        String location = r.startUpload("interrupted");
        String path = location.substring(location.indexOf("/v2/"));
        byte[] blob = new byte[300_000];
        Arrays.fill(blob, (byte) 'w');
        try (Socket s = new Socket("127.0.0.1", r.server().port())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + blob.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(blob, 0, 100_000);
            out.flush();
        }

        // Every byte sent before the disconnect arrives before the end of the stream, and is kept.
        awaitUploadRange(path, "0-99999");
        var rest = r.call("PATCH", path, Arrays.copyOfRange(blob, 100_000, blob.length),
                "Content-Range", "100000-" + (blob.length - 1), "Content-Type", "application/octet-stream");
        assertThat(rest.statusCode()).as(TestRegistry.text(rest)).isEqualTo(202);
        var done = r.put(path + "?digest=" + sha256(blob), null);
        assertThat(done.statusCode()).as(TestRegistry.text(done)).isEqualTo(201);
        assertThat(r.get("/v2/interrupted/blobs/" + sha256(blob)).body()).isEqualTo(blob);
    }

    private void awaitUploadRange(String path, String expected) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String range = null;
        while (System.nanoTime() < deadline) {
            var status = r.get(path);
            assertThat(status.statusCode()).isEqualTo(204);
            range = status.headers().firstValue("Range").orElseThrow();
            if (range.equals(expected)) {
                return;
            }
            Thread.onSpinWait();
        }
        assertThat(range).as("upload range after the interrupted PATCH").isEqualTo(expected);
    }

    @Test
    void garbageInsteadOfARequestLine_isA400WithJsonAndTheServerKeepsServing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", r.server().port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0, 1, 2, 3, (byte) 0xff, '\r', '\n', '\r', '\n'});
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 4");
        }
        assertThat(r.get("/v2/").statusCode()).isEqualTo(200);
    }
}
