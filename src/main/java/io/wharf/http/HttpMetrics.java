package io.wharf.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

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
 * the request pipeline right after routing, where the handler name becomes known. It wraps the request, the response
 * and the callback itself rather than through Jetty's {@code EventsHandler}, which per request also made a map for the
 * request's attributes, a completion wrapper around the stream and a callback per write, and called a dozen hooks this
 * class does not use.
 */
public final class HttpMetrics extends Handler.Wrapper {
    /** Distribution's request latency buckets, extended to the half hour a large layer on a slow link takes. */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25,
            60, 120, 300, 600, 1800};
    /** The {@code method} label values; any other method is counted as {@code other}, the last. */
    private static final List<String> METHODS = List.of("get", "head", "put", "post", "patch", "delete", "options",
            "other");
    /** Status codes below this have a counter slot of their own; a larger one (never sent by Wharf) is looked up. */
    private static final int CODE_SLOTS = 600;

    private final MeterRegistry meters;
    private final Map<Route, String> names = new EnumMap<>(Route.class);
    private final Map<Route, AtomicInteger> inFlight = new EnumMap<>(Route.class);
    private final Map<Route, Counter> received = new EnumMap<>(Route.class);
    private final Map<Route, Counter> sent = new EnumMap<>(Route.class);
    private final Map<Route, DistributionSummary> requestSizes = new EnumMap<>(Route.class);
    private final Map<Route, DistributionSummary> responseSizes = new EnumMap<>(Route.class);
    /** Per route and method, made on first use: the meters a finished request records into. */
    private final AtomicReferenceArray<Series> series =
            new AtomicReferenceArray<>(Route.values().length * METHODS.size());

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
            Counted counted = Request.as(exchange.request(), Counted.class);
            if (counted != null && counted.figures.route == null) {
                Route route = exchange.dispatch().match().route();
                counted.figures.method = methodIndex(exchange.request().getMethod());
                counted.figures.route = route;
                inFlight.get(route).incrementAndGet();
            }
            next.proceed(exchange);
        };
    }

    /**
     * The index in {@link #METHODS} of a request method. Methods are case-sensitive; routing answers any other
     * method with {@code 405} before this step, so {@code other} is only a safe default.
     */
    private static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "PUT" -> 2;
            case "POST" -> 3;
            case "PATCH" -> 4;
            case "DELETE" -> 5;
            case "OPTIONS" -> 6;
            default -> METHODS.size() - 1;
        };
    }

    /**
     * One request's tally. Body bytes arrive on several threads one after another, never at once, so each count has
     * one writer at a time and needs only to be visible to the next: no atomic update. The route is set once, by the
     * step, before any body byte is read or written; a request the step never saw (not routed) is not counted.
     */
    private static final class Figures {
        private static final AtomicIntegerFieldUpdater<Figures> RECORDED =
                AtomicIntegerFieldUpdater.newUpdater(Figures.class, "recorded");
        /** Jetty's time of the request's first byte, as Distribution times from the request's arrival. */
        final long started;
        volatile Route route;
        volatile int method;
        volatile long in;
        volatile long out;
        /** 1 once the request has been recorded: a failure after completion must not count it twice. */
        private volatile int recorded;

        Figures(long started) {
            this.started = started;
        }

        boolean firstRecord() {
            return RECORDED.compareAndSet(this, 0, 1);
        }
    }

    /**
     * The meters of one route and method: its latency histogram and its request counters by status code, each
     * registered on first use. Registering again is harmless (the registry returns the meter it has), so two
     * threads racing to fill a slot need no lock.
     */
    private final class Series {
        final String handler;
        final String method;
        final Timer duration;
        final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(CODE_SLOTS);

        Series(String handler, String method) {
            this.handler = handler;
            this.method = method;
            this.duration = Timer.builder("registry.http.request.duration")
                    .description("The HTTP request latencies in seconds.").tags("handler", handler, "method", method)
                    .serviceLevelObjectives(seconds(DURATION_BUCKETS)).register(meters);
        }

        Counter requests(int status) {
            // A response that never started (the connection died) has no status of its own: code "0".
            int code = Math.max(status, 0);
            if (code >= CODE_SLOTS) {
                return counter(code);
            }
            Counter c = byCode.get(code);
            if (c == null) {
                c = counter(code);
                byCode.set(code, c);
            }
            return c;
        }

        private Counter counter(int code) {
            return meters.counter("registry.http.requests", "code", Integer.toString(code), "handler", handler,
                    "method", method);
        }
    }

    private Series series(Route route, int method) {
        int slot = route.ordinal() * METHODS.size() + method;
        Series s = series.get(slot);
        if (s == null) {
            s = new Series(names.get(route), METHODS.get(method));
            series.set(slot, s);
        }
        return s;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Figures figures = new Figures(request.getBeginNanoTime());
        Counted counted = new Counted(request, figures);
        CountedResponse countedResponse = new CountedResponse(counted, response, figures);
        try {
            return super.handle(counted, countedResponse, new Completion(callback, figures, countedResponse));
        } catch (Throwable t) {
            // Jetty answers a handler that throws with a 500 (and fails its own callback, not this one).
            record(figures, 500);
            throw t;
        }
    }

    /** Counts a routed request once it has finished, with the status its client got (0: none, the connection died). */
    private void record(Figures f, int status) {
        Route route = f.route;
        if (route == null || !f.firstRecord()) {
            return;
        }
        inFlight.get(route).decrementAndGet();
        Series s = series(route, f.method);
        s.requests(status).increment();
        s.duration.record(System.nanoTime() - f.started, TimeUnit.NANOSECONDS);
        requestSizes.get(route).record(f.in);
        responseSizes.get(route).record(f.out);
    }

    /** Adds body bytes to a routed request's tally and to the live byte counter of its route. */
    private void moved(Figures f, int bytes, boolean in) {
        Route route = f.route;
        if (route == null || bytes <= 0) {
            return;
        }
        if (in) {
            f.in += bytes;
            received.get(route).increment(bytes);
        } else {
            f.out += bytes;
            sent.get(route).increment(bytes);
        }
    }

    /** The request, counting the body bytes read as they arrive. */
    private final class Counted extends Request.Wrapper {
        final Figures figures;

        Counted(Request request, Figures figures) {
            super(request);
            this.figures = figures;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                moved(figures, chunk.remaining(), true);
            }
            return chunk;
        }
    }

    /** The response, counting the body bytes written as they are handed to Jetty. */
    private final class CountedResponse extends Response.Wrapper {
        private final Figures figures;

        CountedResponse(Request request, Response response, Figures figures) {
            super(request, response);
            this.figures = figures;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (content != null) {
                moved(figures, content.remaining(), false);
            }
            super.write(last, content, callback);
        }
    }

    /** The handler's callback, recording the request when the handler is done with it. */
    private final class Completion extends Callback.Nested {
        private final Figures figures;
        private final Response response;

        Completion(Callback callback, Figures figures, Response response) {
            super(callback);
            this.figures = figures;
            this.response = response;
        }

        @Override
        public void succeeded() {
            record(figures, response.getStatus());
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            // Not committed: the client got no status line; otherwise it got this one, then a cut-off body.
            record(figures, response.isCommitted() ? response.getStatus() : 0);
            super.failed(x);
        }
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
