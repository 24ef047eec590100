package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests run on named virtual threads whichever pool the JDK gets: all threads virtual from JDK 24 on, the network
 * loop on a platform thread before (where a virtual thread blocked in {@code synchronized} keeps its carrier).
 */
class ThreadPoolTest {
    @ParameterizedTest
    @ValueSource(ints = {21, 24, 25})
    void requestsRunOnNamedVirtualThreads(int javaFeatureVersion) throws Exception {
        var pool = WharfServer.threadPool(javaFeatureVersion);
        assertThat(pool).isInstanceOf(javaFeatureVersion >= 24 ? VirtualThreadPool.class : QueuedThreadPool.class);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Thread t = Thread.currentThread();
                response.write(true, ByteBuffer.wrap((t.isVirtual() + " " + t.getName())
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("true wharf-vt");
        } finally {
            server.stop();
        }
    }
}
