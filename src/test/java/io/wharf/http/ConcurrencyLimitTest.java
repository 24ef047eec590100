package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cap on requests at once, over real HTTP, with both of the server's thread pools (all virtual from JDK 24 on; a
 * platform network loop handing requests to virtual threads before).
 */
class ConcurrencyLimitTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void requestsOverTheCapWait_thenRun_andBeyondTheQueueAreRefusedWithTheSpecBody(boolean allVirtual)
            throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        ConcurrencyLimit limit = new ConcurrencyLimit(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                entered.incrementAndGet();
                switch (Request.getPathInContext(request)) {
                    case "/block" -> gate.await();
                    case "/fail" -> throw new IllegalStateException("handler failed");
                    case "/none" -> {
                        return false;
                    }
                    default -> { }
                }
                response.write(true, null, callback);
                return true;
            }
        }, 2, 1);
        Server server = server(allVirtual, limit);
        String base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            blocked.add(send(client, base + "/block"));
            blocked.add(send(client, base + "/block"));
            Await.until(() -> entered.get() == 2 && limit.available() == 0, LIMIT, "two requests in, no slot free");

            blocked.add(send(client, base + "/block"));
            Await.until(() -> limit.waiting() == 1, LIMIT, "the third request waiting");
            assertThat(entered.get()).as("the third request waits outside the handler").isEqualTo(2);

            HttpResponse<String> refused = send(client, base + "/").get();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"code\":\"UNAVAILABLE\"");
            assertThat(entered.get()).isEqualTo(2);

            gate.countDown();
            for (var answer : blocked) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
            }
            assertThat(entered.get()).isEqualTo(3);
            Await.until(() -> limit.available() == 2, LIMIT, "both slots back");

            // A handler that throws, or takes nothing, gives its slot back as well.
            for (int i = 0; i < 3; i++) {
                assertThat(send(client, base + "/fail").get().statusCode()).isEqualTo(500);
                assertThat(send(client, base + "/none").get().statusCode()).isEqualTo(404);
            }
            Await.until(() -> limit.available() == 2, LIMIT, "both slots back after failures");
            assertThat(send(client, base + "/").get().statusCode()).isEqualTo(200);
        } finally {
            gate.countDown();
            server.stop();
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String url) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(LIMIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Server server(boolean allVirtual, Handler handler) throws Exception {
        ThreadPool pool;
        if (allVirtual) {
            pool = new VirtualThreadPool(0);
        } else {
            QueuedThreadPool queued = new QueuedThreadPool();
            queued.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            pool = queued;
        }
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler(new ErrorRenderer(new ObjectMapper())));
        server.start();
        return server;
    }
}
