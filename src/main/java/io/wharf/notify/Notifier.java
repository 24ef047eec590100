package io.wharf.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.RequestScope;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution's notifications, made durable: every event goes to a {@link EventQueue} per endpoint (on local disk),
 * and one sender per endpoint delivers them in order as Distribution's envelope
 * ({@code Content-Type: application/vnd.docker.distribution.events.v1+json}, body {@code {"events":[event]}}), one
 * event per request. A 2xx answer delivers an event; anything else, a timeout or a refused connection is retried
 * with Distribution's {@code threshold}/{@code backoff}: after {@code threshold} failures in a row the sender waits
 * {@code backoff}, doubling up to 32 times it while the endpoint keeps failing. Events survive the receiver being
 * down, and Wharf restarting, for as long as the queue's bound allows; beyond it the oldest are dropped, counted and
 * logged.
 *
 * <p>Meters: {@code wharf_notifications_events_queued_total}, {@code _sent_total}, {@code _retried_total},
 * {@code _dropped_total}, and the gauge {@code wharf_notifications_queue_events}, all by {@code endpoint}.
 */
public final class Notifier implements AutoCloseable {
    static final String CONTENT_TYPE = "application/vnd.docker.distribution.events.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final Duration SYNC_EVERY = Duration.ofMillis(100);

    private final List<Sender> senders = new ArrayList<>();
    private final ObjectMapper json;
    private final Clock clock;
    private final RequestScope scope;
    private final boolean includeReferences;
    private final String instanceId = UUID.randomUUID().toString();
    private final String sourceAddr;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Thread syncer;
    private volatile boolean closed;

    /**
     * Opens each active endpoint's queue under the configured directory and starts its sender.
     *
     * @param sourceAddr this instance as events name it ({@code host:port})
     */
    public Notifier(RegistryConfig.Notifications config, RequestScope scope, ObjectMapper json, Clock clock,
            String sourceAddr, MeterRegistry meters) throws IOException {
        this.json = json;
        this.clock = clock;
        this.scope = scope;
        this.includeReferences = config.includeReferences();
        this.sourceAddr = sourceAddr;
        Path root = config.queueDirectory();
        for (RegistryConfig.Endpoint e : config.active()) {
            Sender s = new Sender(e, new EventQueue(root.resolve(e.name()), config.maxEvents(),
                    n -> dropped(e, meters, n)), meters);
            senders.add(s);
        }
        senders.forEach(Sender::start);
        syncer = Thread.ofVirtual().name("notifications-sync").start(this::syncLoop);
        LOG.info("notifications: {} endpoint(s), queues in {}", senders.size(), root);
    }

    private static void dropped(RegistryConfig.Endpoint e, MeterRegistry meters, long n) {
        meters.counter("wharf.notifications.events.dropped", "endpoint", e.name()).increment(n);
        LOG.warn("notifications: the queue of endpoint {} is full; dropped its oldest event", e.name());
    }

    private void syncLoop() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(SYNC_EVERY.toNanos());
                for (Sender s : senders) {
                    s.queue.sync();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.warn("notifications: cannot sync a queue: {}", e.toString());
            }
        }
    }

    /** What an event is about. */
    record Target(String mediaType, long size, Digest digest, RepositoryName repository, String tag,
            RepositoryName fromRepository, Manifest references, String path) {
    }

    /** Queues an event for every endpoint that does not ignore it. Never fails the operation it reports. */
    void emit(String action, Target target) {
        if (senders.isEmpty()) {
            return;
        }
        String text;
        try {
            text = json.writeValueAsString(event(action, target));
        } catch (IOException e) {
            LOG.warn("notifications: cannot render an event: {}", e.toString());
            return;
        }
        for (Sender s : senders) {
            if (s.endpoint.ignoredActions().contains(action)
                    || (target.mediaType() != null && s.endpoint.ignoredMediaTypes().contains(target.mediaType()))) {
                continue;
            }
            try {
                s.queue.append(text);
                s.queued.increment();
            } catch (IOException e) {
                LOG.error("notifications: cannot queue an event for {}: {}", s.endpoint.name(), e.toString());
            }
        }
    }

    private ObjectNode event(String action, Target t) {
        RequestScope.Info request = scope.current().orElse(RequestScope.Info.NONE);
        ObjectNode event = json.createObjectNode();
        event.put("id", UUID.randomUUID().toString());
        event.put("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(clock.instant().atOffset(
                java.time.ZoneOffset.UTC)));
        event.put("action", action);
        ObjectNode target = event.putObject("target");
        if (t.mediaType() != null) {
            target.put("mediaType", t.mediaType());
        }
        if (t.size() >= 0) {
            target.put("size", t.size());
        }
        if (t.digest() != null) {
            target.put("digest", t.digest().toString());
        }
        if (t.size() >= 0) {
            target.put("length", t.size());
        }
        target.put("repository", t.repository().value());
        if (t.fromRepository() != null) {
            target.put("fromRepository", t.fromRepository().value());
        }
        if (t.path() != null && !request.baseUrl().isEmpty()) {
            target.put("url", request.baseUrl() + t.path());
        }
        if (t.tag() != null) {
            target.put("tag", t.tag());
        }
        if (includeReferences && t.references() != null) {
            ArrayNode refs = target.putArray("references");
            Manifest m = t.references();
            List<Descriptor> all = new ArrayList<>();
            if (m.config() != null) {
                all.add(m.config());
            }
            all.addAll(m.layers());
            all.addAll(m.manifests());
            for (Descriptor d : all) {
                ObjectNode r = refs.addObject();
                r.put("mediaType", d.mediaType() == null ? "" : d.mediaType().value());
                r.put("digest", d.digest().toString());
                r.put("size", d.size());
            }
        }
        ObjectNode req = event.putObject("request");
        req.put("id", request.id());
        req.put("addr", request.addr());
        req.put("host", request.host());
        req.put("method", request.method());
        req.put("useragent", request.userAgent());
        ObjectNode actor = event.putObject("actor");
        if (!request.user().isEmpty()) {
            actor.put("name", request.user());
        }
        ObjectNode source = event.putObject("source");
        source.put("addr", sourceAddr);
        source.put("instanceID", instanceId);
        return event;
    }

    /** Stops the senders and writes every queue to disk; events not yet delivered wait there for the next start. */
    @Override
    public void close() {
        closed = true;
        syncer.interrupt();
        for (Sender s : senders) {
            s.stop();
        }
        for (Sender s : senders) {
            try {
                s.queue.close();
            } catch (IOException e) {
                LOG.warn("notifications: closing the queue of {}: {}", s.endpoint.name(), e.toString());
            }
        }
    }

    private final class Sender {
        final RegistryConfig.Endpoint endpoint;
        final EventQueue queue;
        final Counter queued;
        final Counter sent;
        final Counter retried;
        private Thread thread;
        private volatile boolean stopping;

        Sender(RegistryConfig.Endpoint endpoint, EventQueue queue, MeterRegistry meters) {
            this.endpoint = endpoint;
            this.queue = queue;
            String name = endpoint.name();
            this.queued = meters.counter("wharf.notifications.events.queued", "endpoint", name);
            this.sent = meters.counter("wharf.notifications.events.sent", "endpoint", name);
            this.retried = meters.counter("wharf.notifications.events.retried", "endpoint", name);
            meters.counter("wharf.notifications.events.dropped", "endpoint", name);
            Gauge.builder("wharf.notifications.queue.events", queue, EventQueue::pending)
                    .description("events waiting for delivery").tag("endpoint", name).register(meters);
        }

        void start() {
            thread = Thread.ofVirtual().name("notifications-" + endpoint.name()).start(this::run);
        }

        void stop() {
            stopping = true;
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            int failures = 0;
            while (!stopping) {
                try {
                    var next = queue.peek();
                    if (next.isEmpty()) {
                        queue.awaitAppend(Duration.ofSeconds(1));
                        continue;
                    }
                    if (deliver(next.get().json())) {
                        queue.ack(next.get());
                        sent.increment();
                        if (failures >= endpoint.threshold()) {
                            LOG.info("notifications: endpoint {} answers again", endpoint.name());
                        }
                        failures = 0;
                    } else {
                        retried.increment();
                        failures++;
                        if (failures == endpoint.threshold()) {
                            LOG.warn("notifications: endpoint {} failed {} times in a row; backing off",
                                    endpoint.name(), failures);
                        }
                        if (failures >= endpoint.threshold()) {
                            long factor = 1L << Math.min(5, failures - endpoint.threshold());
                            TimeUnit.NANOSECONDS.sleep(endpoint.backoff().toNanos() * factor);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("notifications: sender of {} stumbled: {}", endpoint.name(), e.toString());
                    try {
                        TimeUnit.NANOSECONDS.sleep(endpoint.backoff().toNanos());
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }

        private boolean deliver(String event) throws InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.url()).timeout(endpoint.timeout())
                    .header("Content-Type", CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[" + event + "]}"));
            endpoint.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            try {
                HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() >= 200 && r.statusCode() < 300;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** A URL path for a manifest or blob, as events name it. */
    static String path(RepositoryName repo, String kind, Digest digest) {
        return "/v2/" + repo.value() + "/" + kind + "/" + digest;
    }

    /** The endpoint URLs, for tests and the start-up line. */
    List<URI> endpoints() {
        return senders.stream().map(s -> s.endpoint.url()).toList();
    }
}
