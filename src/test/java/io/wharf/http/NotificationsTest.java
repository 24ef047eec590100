package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.wharf.config.RegistryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks to a real receiver on loopback: Distribution's envelope and fields; nothing lost while the receiver is
 * down, down across a Wharf restart, slow, or answering 500; the queue's bound; ignored actions.
 */
class NotificationsTest {
    @TempDir
    Path dir;
    private Receiver receiver;
    private TestRegistry registry;

    /** A webhook receiver: records every attempt, answers {@code status}, can hang, stop and start again. */
    static final class Receiver {
        final int port;
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> types = new CopyOnWriteArrayList<>();
        final List<String> auth = new CopyOnWriteArrayList<>();
        final AtomicInteger failFirst = new AtomicInteger();
        volatile CountDownLatch hang = new CountDownLatch(0);
        private HttpServer server;

        Receiver(int port) throws IOException {
            this.port = port;
        }

        static Receiver start() throws IOException {
            Receiver r = new Receiver(0);
            r.up(0);
            return r;
        }

        int up(int onPort) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            server.createContext("/events", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                types.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int status = failFirst.getAndDecrement() > 0 ? 500 : 200;
                bodies.add((status == 200 ? "OK " : "FAILED ") + new String(body, StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return server.getAddress().getPort();
        }

        void down() {
            server.stop(0);
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        }

        /** The events of the deliveries that succeeded, in order. */
        List<JsonNode> delivered() {
            List<JsonNode> events = new ArrayList<>();
            for (String b : bodies) {
                if (b.startsWith("OK ")) {
                    try {
                        TestRegistry.JSON.readTree(b.substring(3)).get("events").forEach(events::add);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return events;
        }

        List<JsonNode> failed() {
            List<JsonNode> events = new ArrayList<>();
            for (String b : bodies) {
                if (b.startsWith("FAILED ")) {
                    try {
                        TestRegistry.JSON.readTree(b.substring(7)).get("events").forEach(events::add);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return events;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (receiver != null) {
            receiver.hang.countDown();
            receiver.down();
        }
    }

    private UnaryOperator<RegistryConfig> notifying(URI url, int maxEvents, Duration timeout, Set<String> ignore) {
        RegistryConfig.Endpoint e = new RegistryConfig.Endpoint("ci", url,
                Map.of("Authorization", List.of("Bearer hook-token")), timeout, 1, Duration.ofMillis(50), false,
                Set.of(), ignore);
        return c -> c.withNotifications(new RegistryConfig.Notifications(List.of(e), true, dir.resolve("queues"),
                maxEvents));
    }

    private TestRegistry start(UnaryOperator<RegistryConfig> config) throws Exception {
        Setup setup = new Setup(Setup.Driver.FILESYSTEM, Setup.Auth.HTPASSWD);
        UnaryOperator<RegistryConfig> auth = setup.configure(dir.resolve("auth"));
        TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> config.apply(auth.apply(c)));
        r.login(Setup.USER, Setup.PASSWORD);
        return r;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        io.wharf.testing.Await.until(condition, Duration.ofSeconds(20), what);
    }

    @Test
    void pushAndPull_sendDistributionsEnvelope() throws Exception {
        receiver = Receiver.start();
        registry = start(notifying(receiver.url(), 1000, Duration.ofSeconds(2), Set.of()));
        TestRegistry.Image image = registry.pushImage("team/app", "v1");
        registry.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
        registry.get("/v2/team/app/blobs/" + image.layer());
        registry.head("/v2/team/app/blobs/" + image.layer());
        await(() -> receiver.delivered().size() >= 5, "five events");
        List<JsonNode> events = receiver.delivered();
        assertThat(events).extracting(e -> e.get("action").asText() + " " + e.at("/target/digest").asText())
                .containsExactly("push " + image.config(), "push " + image.layer(), "push " + image.digest(),
                        "pull " + image.digest(), "pull " + image.layer());
        // The HEAD of the blob was no pull; a GET afterwards is, and comes after the others.
        registry.get("/v2/team/app/blobs/" + image.config());
        await(() -> receiver.delivered().size() >= 6, "the sixth event");
        assertThat(receiver.delivered().get(5).at("/target/digest").asText()).isEqualTo(image.config().toString());
        assertThat(receiver.types).allMatch("application/vnd.docker.distribution.events.v1+json"::equals);
        assertThat(receiver.auth).allMatch("Bearer hook-token"::equals);
        JsonNode push = events.get(2);
        assertThat(push.at("/target/mediaType").asText()).isEqualTo(Manifests.OCI_MANIFEST);
        assertThat(push.at("/target/tag").asText()).isEqualTo("v1");
        assertThat(push.at("/target/repository").asText()).isEqualTo("team/app");
        assertThat(push.at("/target/size").asLong()).isEqualTo(image.size());
        assertThat(push.at("/target/length").asLong()).isEqualTo(image.size());
        assertThat(push.at("/target/url").asText()).isEqualTo(registry.base() + "/v2/team/app/manifests/"
                + image.digest());
        assertThat(push.at("/target/references")).hasSize(2);
        assertThat(push.at("/request/method").asText()).isEqualTo("PUT");
        assertThat(push.at("/request/id").asText()).isNotEmpty();
        assertThat(push.at("/request/addr").asText()).startsWith("127.0.0.1:");
        assertThat(push.at("/request/useragent").asText()).contains("Java-http-client");
        assertThat(push.at("/actor/name").asText()).isEqualTo(Setup.USER);
        assertThat(push.at("/source/instanceID").asText()).isNotEmpty();
        assertThat(push.get("timestamp").asText()).isNotEmpty();
        assertThat(events.get(3).at("/target/tag").asText()).isEqualTo("v1");
        assertThat(events.stream().map(e -> e.get("id").asText()).distinct()).hasSize(events.size());
    }

    @Test
    void deletingAManifest_reportsEachTagThatWentWithIt_asDistributionDoes() throws Exception {
        receiver = Receiver.start();
        registry = start(notifying(receiver.url(), 1000, Duration.ofSeconds(2), Set.of("push", "pull")));
        TestRegistry.Image image = registry.pushImage("team/app", "v1");
        byte[] manifest = registry.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST).body();
        assertThat(registry.call("PUT", "/v2/team/app/manifests/stable", manifest, "Content-Type",
                Manifests.OCI_MANIFEST).statusCode()).isEqualTo(201);
        TestRegistry.Image other = registry.pushImage("team/app", "v2");

        assertThat(registry.delete("/v2/team/app/manifests/" + image.digest()).statusCode()).isEqualTo(202);
        assertThat(registry.delete("/v2/team/app/manifests/v2").statusCode()).isEqualTo(202);
        await(() -> receiver.delivered().size() >= 4, "four delete events");
        List<JsonNode> events = receiver.delivered();
        assertThat(events).extracting(e -> e.get("action").asText() + " " + e.at("/target/repository").asText()
                + " " + e.at("/target/digest").asText("-") + " " + e.at("/target/tag").asText("-"))
                .containsExactly("delete team/app " + image.digest() + " -", "delete team/app - stable",
                        "delete team/app - v1", "delete team/app - v2");
        assertThat(registry.get("/v2/team/app/manifests/" + other.digest(), "Accept", Manifests.OCI_MANIFEST)
                .statusCode()).as("deleting a tag keeps its manifest").isEqualTo(200);
    }

    @Test
    void aReceiverThatWasDown_getsEveryEventInOrder_evenAcrossARestart() throws Exception {
        receiver = Receiver.start();
        int port = receiver.port == 0 ? receiver.url().getPort() : receiver.port;
        receiver.down();
        URI url = URI.create("http://127.0.0.1:" + port + "/events");
        registry = start(notifying(url, 1000, Duration.ofSeconds(2), Set.of("pull")));
        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pushed.add(registry.pushImage("team/app", "v" + i).digest().toString());
        }
        registry.close();
        registry = null;
        // Wharf restarts with the receiver still down, and pushes more.
        registry = start(notifying(url, 1000, Duration.ofSeconds(2), Set.of("pull")));
        pushed.add(registry.pushImage("team/app", "v3").digest().toString());
        receiver.up(port);
        await(() -> receiver.delivered().size() >= 12, "twelve events");
        List<String> manifests = receiver.delivered().stream()
                .filter(e -> e.at("/target/mediaType").asText().equals(Manifests.OCI_MANIFEST))
                .map(e -> e.at("/target/digest").asText()).toList();
        assertThat(manifests).containsExactlyElementsOf(pushed);
        assertThat(receiver.delivered()).hasSize(12);
    }

    @Test
    void aReceiverAnswering500_getsTheSameEventAgain_withTheSameId() throws Exception {
        receiver = Receiver.start();
        receiver.failFirst.set(3);
        registry = start(notifying(receiver.url(), 1000, Duration.ofSeconds(2), Set.of("pull")));
        registry.pushBlob("team/app", "one blob".getBytes(StandardCharsets.UTF_8));
        await(() -> receiver.delivered().size() == 1, "the event, after three failures");
        assertThat(receiver.failed()).hasSize(3);
        String id = receiver.delivered().get(0).get("id").asText();
        assertThat(receiver.failed()).allMatch(e -> e.get("id").asText().equals(id));
    }

    @Test
    void aSlowReceiver_doesNotSlowTheRegistry_andGetsItsEventsAfterTimeouts() throws Exception {
        receiver = Receiver.start();
        receiver.hang = new CountDownLatch(1);
        registry = start(notifying(receiver.url(), 1000, Duration.ofMillis(200), Set.of("pull")));
        // The receiver holds every delivery; pushes still complete.
        for (int i = 0; i < 3; i++) {
            registry.pushImage("team/app", "v" + i);
        }
        await(() -> receiver.types.size() >= 2, "a second attempt after the first timed out");
        assertThat(receiver.delivered()).isEmpty();
        receiver.hang.countDown();
        await(() -> receiver.delivered().stream().map(e -> e.get("id").asText()).distinct().count() >= 9,
                "all nine events");
    }

    @Test
    void atTheBound_theOldestEventsAreDroppedAndCounted() throws Exception {
        receiver = Receiver.start();
        int port = receiver.url().getPort();
        receiver.down();
        registry = start(notifying(URI.create("http://127.0.0.1:" + port + "/events"), 4, Duration.ofSeconds(1),
                Set.of("pull")));
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blobs.add(registry.pushBlob("team/app", ("blob " + i).getBytes(StandardCharsets.UTF_8)).toString());
        }
        double dropped = registry.server().meters().get("wharf.notifications.events.dropped").counter().count();
        assertThat(dropped).isEqualTo(6);
        receiver.up(port);
        await(() -> receiver.delivered().size() >= 4, "the four newest events");
        assertThat(receiver.delivered()).extracting(e -> e.at("/target/digest").asText())
                .containsExactlyElementsOf(blobs.subList(6, 10));
    }
}
