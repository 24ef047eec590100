package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The minimum rate judges only the time the server waits on the client, over real HTTP with a clock the test moves:
 * a wait ends when the client's bytes arrive, even when the server is too busy to read them for a long while after,
 * and a client that sends nothing is still cut off.
 */
class SlowClientGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MIN_RATE = 1024;

    private final AtomicLong nanos = new AtomicLong();
    private final CountDownLatch waitingForBody = new CountDownLatch(1);
    private final CountDownLatch bodyArrived = new CountDownLatch(1);
    private final CountDownLatch busyDone = new CountDownLatch(1);
    private Server server;
    private SlowClientGuard guard;

    @AfterEach
    void stop() throws Exception {
        busyDone.countDown();
        server.stop();
    }

    @Test
    void timeTheServerTakesToReadArrivedBytes_isNotTheClients() throws Exception {
        try (Socket client = startAndSendHeaders()) {
            OutputStream out = client.getOutputStream();
            nanos.addAndGet(SECOND / 2);

            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(bodyArrived.await(20, TimeUnit.SECONDS)).as("the server saw the body arrive").isTrue();
            // The server is busy for five windows before it reads what arrived.
            nanos.addAndGet(5 * SECOND);
            guard.sweepNow();
            busyDone.countDown();

            assertThat(answer(client)).startsWith("HTTP/1.1 200").endsWith("read 10");
        }
    }

    @Test
    void aClientThatSendsNothing_isCutOffOnceAWindowPasses() throws Exception {
        try (Socket client = startAndSendHeaders()) {
            nanos.addAndGet(2 * SECOND);
            guard.sweepNow();
            busyDone.countDown();

            assertThat(answer(client)).doesNotStartWith("HTTP/1.1 200");
        }
    }

    private void start() throws Exception {
        guard = new SlowClientGuard(new BusyReader(), Duration.ofMinutes(1), MIN_RATE, Duration.ofSeconds(1),
                Duration.ofHours(1), nanos::get);
        server = new Server(new VirtualThreadPool(0));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(guard);
        server.start();
    }

    /** Starts the server, sends a request's headers for a 10-byte body, and returns once its read found nothing. */
    private Socket startAndSendHeaders() throws Exception {
        start();
        Socket s = new Socket("127.0.0.1", ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        s.setSoTimeout(20_000);
        s.getOutputStream().write("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(waitingForBody.await(20, TimeUnit.SECONDS)).isTrue();
        return s;
    }

    /** The whole answer, or what came before the server closed the connection (empty when cut off). */
    private static String answer(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException reset) {
            return "";
        }
    }

    /**
     * Finds no body at first, asks to be told when some arrives, and when told does not read it at once: it stays
     * busy until the test lets it go, then reads the body and answers how much it read.
     */
    private final class BusyReader extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Content.Chunk first = request.read();
            if (first != null) {
                throw new IllegalStateException("the body came with the headers; the test needs it later");
            }
            CountDownLatch told = new CountDownLatch(1);
            request.demand(() -> {
                bodyArrived.countDown();
                told.countDown();
            });
            waitingForBody.countDown();
            told.await();
            busyDone.await();
            long read = 0;
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    CountDownLatch more = new CountDownLatch(1);
                    request.demand(more::countDown);
                    more.await();
                    continue;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Response.writeError(request, response, callback, chunk.getFailure());
                    return true;
                }
                read += chunk.remaining();
                chunk.release();
                if (chunk.isLast()) {
                    break;
                }
            }
            Content.Sink.write(response, true, "read " + read, callback);
            return true;
        }
    }
}
