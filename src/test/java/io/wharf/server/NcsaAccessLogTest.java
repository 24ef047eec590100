package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;

/** Wharf's access log writes the very lines Jetty's own log writes for the extended NCSA format. */
class NcsaAccessLogTest {
    /** Requests as clients send them: with and without the logged headers, queries, bodies, HTTP/1.0, errors. */
    private static final List<String> REQUESTS = List.of(
            "GET /v2/ HTTP/1.1\r\nHost: r\r\n",
            "HEAD /v2/ HTTP/1.1\r\nHost: r\r\nUser-Agent: docker/27.5.1 go/go1.22.12 os/linux\r\n",
            "GET /v2/a/b/blobs/sha256:ab?n=4096&token=abc HTTP/1.1\r\nHost: r\r\nReferer: http://ui/x\r\n"
                    + "User-Agent: curl/8.5 \"quoted\" (x)\r\n",
            "POST /v2/a/blobs/uploads/?status=202 HTTP/1.1\r\nHost: r\r\nContent-Length: 10\r\n\r\n0123456789",
            "GET /v2/x%20y/tags/list?status=404&n=57 HTTP/1.0\r\n",
            "PUT /v2/a/manifests/latest?status=500&n=3 HTTP/1.1\r\nHost: r\r\nUser-Agent: \r\nContent-Length: 0\r\n",
            "GET /v2/_catalog?last=a,b HTTP/1.1\r\nHost: r\r\nReferer: a,b\r\nUser-Agent: back\\slash, \"q\"\r\n");

    @Test
    void eachLine_equalsJettysCustomRequestLogLine() throws Exception {
        List<String> ours = Collections.synchronizedList(new ArrayList<>());
        List<String> jettys = Collections.synchronizedList(new ArrayList<>());
        NcsaAccessLog log = new NcsaAccessLog(ours::add);
        CustomRequestLog reference = new CustomRequestLog(jettys::add, CustomRequestLog.EXTENDED_NCSA_FORMAT);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Answer());
        server.addBean(log);
        server.addBean(reference);
        // Both lines of one request are added together, whatever the order in which requests complete.
        server.setRequestLog((request, response) -> {
            synchronized (ours) {
                log.log(request, response);
                reference.log(request, response);
            }
        });
        server.start();
        try {
            for (String request : REQUESTS) {
                send(connector.getLocalPort(), request);
            }
            awaitLines(jettys, REQUESTS.size());
            assertThat(ours).hasSize(REQUESTS.size()).isEqualTo(jettys);
            // Lines are written as requests complete, which is not always the order they were sent in.
            assertThat(ours).filteredOn(l -> l.contains("/v2/a/b/blobs/")).singleElement().asString()
                    .contains("\"GET /v2/a/b/blobs/sha256:ab?n=4096&token=abc HTTP/1.1\" 200 4096 "
                            + "\"http://ui/x\" \"curl/8.5 \\\"quoted\\\" (x)\"");
        } finally {
            server.stop();
        }
    }

    /** Sends one request on its own connection and reads the whole answer. */
    private static void send(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            String whole = request.contains("\r\n\r\n")
                    ? request.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                    : request + "Connection: close\r\n\r\n";
            out.write(whole.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }

    /** The log is written when the response completes, just after the client has it. */
    private static void awaitLines(List<String> lines, int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** Answers with the status and number of body bytes the query asks for (200 and none by default). */
    private static final class Answer extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Fields query = Request.extractQueryParameters(request);
            response.setStatus(Integer.parseInt(query.getValue("status") == null ? "200" : query.getValue("status")));
            int bytes = query.getValue("n") == null ? 0 : Integer.parseInt(query.getValue("n"));
            response.write(true, ByteBuffer.allocate(bytes), callback);
            return true;
        }
    }
}
