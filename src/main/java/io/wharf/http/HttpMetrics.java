package io.wharf.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;

/**
 * The registry API's HTTP meters, under Distribution's names, labels and label values so that dashboards and alerts
 * written for Distribution keep working:
 * <ul>
 *   <li>{@code registry_http_requests_total{code,handler,method}}</li>
 *   <li>{@code registry_http_request_duration_seconds{handler,method}} (histogram)</li>
 *   <li>{@code registry_http_request_size_bytes{handler}} and {@code registry_http_response_size_bytes{handler}}
 *       (histograms of body bytes)</li>
 *   <li>{@code registry_http_in_flight_requests{handler}} (gauge)</li>
 * </ul>
 * plus the live {@code wharf_http_received_bytes_total{handler}} and {@code wharf_http_sent_bytes_total{handler}},
 * which grow while a transfer runs rather than when it ends, so a ten-minute layer download shows as throughput
 * during those ten minutes.
 *
 * <p>{@code handler} is Distribution's route name ({@code base}, {@code catalog}, {@code tags}, {@code manifest},
 * {@code blob}, {@code blob_upload}, {@code blob_upload_chunk}, and Wharf's {@code referrers}); requests no route
 * matches are not counted, as in Distribution. {@code method} is lower-case. Every label has a small fixed set of
 * values, so the number of series is bounded whatever clients send.
 *
 * <p>As a Jetty handler it wraps the registry handler to see body bytes and completion; its {@link #step()} goes in
 * the request pipeline right after routing, where the handler name becomes known.
 */
public final class HttpMetrics extends EventsHandler {
    /** Distribution's request latency buckets, extended to the half hour a large layer on a slow link takes. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25,
            60, 120, 300, 600, 1800};
    private static final String FIGURES = HttpMetrics.class.getName() + ".figures";
    private static final Set<String> METHODS = Set.of("get", "head", "put", "post", "patch", "delete", "options");

    private final MeterRegistry meters;
    private final Map<Route, String> names = new EnumMap<>(Route.class);
    private final Map<Route, AtomicInteger> inFlight = new EnumMap<>(Route.class);
    private final Map<Route, Counter> received = new EnumMap<>(Route.class);
    private final Map<Route, Counter> sent = new EnumMap<>(Route.class);
    private final Map<Route, DistributionSummary> requestSizes = new EnumMap<>(Route.class);
    private final Map<Route, DistributionSummary> responseSizes = new EnumMap<>(Route.class);
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    public HttpMetrics(MeterRegistry meters) {
        this.meters = meters;
        double[] sizeBuckets = sizeBuckets();
        for (Route route : Route.values()) {
            String name = handlerName(route);
            names.put(route, name);
            AtomicInteger count = new AtomicInteger();
            inFlight.put(route, count);
            Gauge.builder("registry.http.in_flight_requests", count, AtomicInteger::get)
                    .description("The in-flight HTTP requests").tag("handler", name).register(meters);
            received.put(route, Counter.builder("wharf.http.received").baseUnit("bytes")
                    .description("Request body bytes received, counted as they arrive").tag("handler", name)
                    .register(meters));
            sent.put(route, Counter.builder("wharf.http.sent").baseUnit("bytes")
                    .description("Response body bytes sent, counted as they leave").tag("handler", name)
                    .register(meters));
            requestSizes.put(route, DistributionSummary.builder("registry.http.request.size").baseUnit("bytes")
                    .description("The HTTP request sizes in bytes.").tag("handler", name)
                    .serviceLevelObjectives(sizeBuckets).register(meters));
            responseSizes.put(route, DistributionSummary.builder("registry.http.response.size").baseUnit("bytes")
                    .description("The HTTP response sizes in bytes.").tag("handler", name)
                    .serviceLevelObjectives(sizeBuckets).register(meters));
        }
    }

    /** Distribution's 1 KiB to 2 GiB doubling buckets, continued to 64 GiB for large layers. */
    private static double[] sizeBuckets() {
        double[] b = new double[27];
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.scalb(1024.0, i);
        }
        return b;
    }

    /** Distribution's name for the route's handler. */
    static String handlerName(Route route) {
        return switch (route) {
            case BASE -> "base";
            case CATALOG -> "catalog";
            case TAGS -> "tags";
            case MANIFEST -> "manifest";
            case BLOB -> "blob";
            case UPLOAD_START -> "blob_upload";
            case UPLOAD -> "blob_upload_chunk";
            case REFERRERS -> "referrers";
        };
    }

    /** The pipeline step that starts counting a routed request. */
    Step step() {
        return (exchange, next) -> {
            Route route = exchange.dispatch().match().route();
            String method = exchange.request().getMethod().toLowerCase(Locale.ROOT);
            Figures figures = new Figures(route, METHODS.contains(method) ? method : "other");
            if (exchange.request().getAttribute(FIGURES) == null) {
                exchange.request().setAttribute(FIGURES, figures);
                inFlight.get(route).incrementAndGet();
            }
            next.proceed(exchange);
        };
    }

    /** One request's tally; body bytes arrive on several threads one after another, never at once. */
    private static final class Figures {
        final Route route;
        final String method;
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();

        Figures(Route route, String method) {
            this.route = route;
            this.method = method;
        }
    }

    @Override
    protected void onRequestRead(Request request, Content.Chunk chunk) {
        if (chunk != null && request.getAttribute(FIGURES) instanceof Figures f) {
            int n = chunk.remaining();
            if (n > 0) {
                f.in.add(n);
                received.get(f.route).increment(n);
            }
        }
    }

    @Override
    protected void onResponseWrite(Request request, boolean last, ByteBuffer content) {
        if (content != null && request.getAttribute(FIGURES) instanceof Figures f) {
            int n = content.remaining();
            if (n > 0) {
                f.out.add(n);
                sent.get(f.route).increment(n);
            }
        }
    }

    @Override
    protected void onComplete(Request request, int status, HttpFields headers, Throwable failure) {
        if (!(request.getAttribute(FIGURES) instanceof Figures f)) {
            return;
        }
        inFlight.get(f.route).decrementAndGet();
        String handler = names.get(f.route);
        long nanos = System.nanoTime() - request.getBeginNanoTime();
        // A response that never started (the connection died) has no status of its own.
        String code = status <= 0 ? "0" : Integer.toString(status);
        meters.counter("registry.http.requests", "code", code, "handler", handler, "method", f.method).increment();
        durations.computeIfAbsent(handler + " " + f.method, k -> Timer.builder("registry.http.request.duration")
                .description("The HTTP request latencies in seconds.").tags("handler", handler, "method", f.method)
                .serviceLevelObjectives(seconds(DURATION_BUCKETS)).register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
        requestSizes.get(f.route).record(f.in.sum());
        responseSizes.get(f.route).record(f.out.sum());
    }

    private static Duration[] seconds(double[] values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return d;
    }

    /** This handler around {@code handler}. */
    public HttpMetrics wrapping(Handler handler) {
        setHandler(handler);
        return this;
    }
}
