package io.wharf.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts off clients that hold a connection without using it, per connection and per request, correct for any
 * volume and uptime (Jetty's {@code MinimumDataRateHandler} divides server-wide byte totals and overflows after
 * about 8.6 GiB):
 * <ul>
 *   <li><b>Header deadline</b>: an HTTP/1.1 request's line and headers must arrive within {@code headerTimeout}
 *       of its first byte, however the bytes trickle in (slowloris). A TLS connection still negotiating counts as
 *       sending headers.</li>
 *   <li><b>Minimum rate</b>: while the server waits on the client (reading a body, or writing an answer the
 *       client does not take), the request must move {@code minRate} bytes per second, judged per
 *       {@code window} by a {@link TransferMeter}.</li>
 * </ul>
 * The connection idle timeout (no byte at all) is the connector's own. A sweeper checks every connection and
 * request once a {@code sweep}; a connection found too slow is closed, which fails the request's blocked read or
 * write with an {@link java.io.IOException} (for HTTP/2, every stream of the connection).
 */
public final class SlowClientGuard extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);
    private final long headerTimeoutNanos;
    private final long minRate;
    private final long windowNanos;
    private final Duration sweep;
    private final LongSupplier nanos;
    /** Ten lines a second at most: an attack of many slow connections must not flood the log. */
    private final LogLimiter logLimit;
    private final Set<Tracked> requests = ConcurrentHashMap.newKeySet();
    /** Connections seen sending headers: only touched by the sweeper thread. */
    private Map<EndPoint, HeaderPhase> sendingHeaders = new HashMap<>();
    private ScheduledExecutorService sweeper;

    /** A running request; equal only to itself (a record's hash would hash the request and meter each time). */
    private static final class Tracked {
        final Request request;
        final TransferMeter meter;

        Tracked(Request request, TransferMeter meter) {
            this.request = request;
            this.meter = meter;
        }
    }

    private record HeaderPhase(long messagesIn, long since) {
    }

    /**
     * @param minRate bytes per second, 0 for no rate check
     * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public SlowClientGuard(Handler handler, Duration headerTimeout, long minRate, Duration window, Duration sweep,
            LongSupplier nanos) {
        super(handler);
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.minRate = minRate;
        this.windowNanos = window.toNanos();
        this.sweep = sweep;
        this.nanos = nanos;
        this.logLimit = new LogLimiter(10, 50, nanos);
    }

    @Override
    protected void doStart() throws Exception {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wharf-slow-client-guard");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepNow, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        sweeper.shutdownNow();
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        TransferMeter meter = new TransferMeter(minRate, windowNanos);
        Tracked tracked = new Tracked(request, meter);
        requests.add(tracked);
        Callback done = new Delegating(callback) {
            @Override
            public void succeeded() {
                requests.remove(tracked);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                requests.remove(tracked);
                super.failed(x);
            }
        };
        boolean handled;
        try {
            handled = super.handle(new MeteredRequest(request, meter), new MeteredResponse(request, response, meter),
                    done);
        } catch (Throwable t) {
            requests.remove(tracked);
            throw t;
        }
        if (!handled) {
            requests.remove(tracked);
        }
        return handled;
    }

    /** One pass over every request and connection; public for tests that drive the clock themselves. */
    public void sweepNow() {
        long now = nanos.getAsLong();
        for (Tracked t : requests) {
            if (t.meter.tooSlow(now)) {
                requests.remove(t);
                close(t.request.getConnectionMetaData().getConnection().getEndPoint(),
                        "moved less than " + minRate + " bytes/s while the server waited on it");
            }
        }
        Map<EndPoint, HeaderPhase> next = new HashMap<>();
        for (Connector connector : getServer().getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                checkHeaders(endPoint, now, next);
            }
        }
        sendingHeaders = next;
    }

    private void checkHeaders(EndPoint endPoint, long now, Map<EndPoint, HeaderPhase> next) {
        Connection connection = endPoint.getConnection();
        if (connection instanceof SslConnection ssl) {
            connection = ssl.getSslEndPoint().getConnection();
        }
        long messages;
        if (connection instanceof HttpConnection http) {
            if (http.getParser().isStart() || !http.getParser().inHeaderState()) {
                return;
            }
            messages = http.getMessagesIn();
        } else if (connection != null && connection.getClass().getSimpleName().contains("Negotiating")) {
            messages = -1;
        } else {
            return;
        }
        HeaderPhase seen = sendingHeaders.get(endPoint);
        HeaderPhase phase = seen != null && seen.messagesIn() == messages ? seen : new HeaderPhase(messages, now);
        if (now - phase.since() >= headerTimeoutNanos) {
            close(endPoint, "did not send its request headers within "
                    + Duration.ofNanos(headerTimeoutNanos).toSeconds() + " s");
        } else {
            next.put(endPoint, phase);
        }
    }

    private void close(EndPoint endPoint, String why) {
        long dropped = logLimit.allow();
        if (dropped >= 0) {
            LOG.info("closed connection from {}: the client {}{}", endPoint.getRemoteSocketAddress(), why,
                    dropped > 0 ? " (" + dropped + " similar lines suppressed)" : "");
        }
        endPoint.close(new TimeoutException("client " + why));
    }

    /**
     * Counts body bytes and the time a read waits for them. A wait starts when a read finds nothing and ends when the
     * client's next bytes (or the connection's end) reach the server, signalled by the demand callback: not when the
     * handler next reads, since the time a busy server takes to get back to the request is not the client's.
     */
    private final class MeteredRequest extends Request.Wrapper {
        private final TransferMeter meter;
        private boolean waiting;

        MeteredRequest(Request request, TransferMeter meter) {
            super(request);
            this.meter = meter;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            synchronized (this) {
                long bytes = chunk == null ? 0 : chunk.remaining();
                if (chunk == null && !waiting) {
                    waiting = true;
                    meter.waitStarted(nanos.getAsLong());
                } else if (chunk != null && waiting) {
                    waiting = false;
                    meter.waitEnded(nanos.getAsLong(), bytes);
                } else {
                    meter.moved(bytes);
                }
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            // Run where Jetty would run the caller's callback (a blocked reader's wake-up runs on the network thread
            // that saw the bytes arrive), so that the wait ends when they arrived.
            super.demand(Invocable.from(Invocable.getInvocationType(demandCallback), () -> {
                arrived();
                demandCallback.run();
            }));
        }

        private synchronized void arrived() {
            if (waiting) {
                waiting = false;
                meter.waitEnded(nanos.getAsLong(), 0);
            }
        }
    }

    /** Counts response bytes and the time each write stays pending. */
    private final class MeteredResponse extends Response.Wrapper {
        private final TransferMeter meter;

        MeteredResponse(Request request, Response response, TransferMeter meter) {
            super(request, response);
            this.meter = meter;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            long bytes = content == null ? 0 : content.remaining();
            meter.waitStarted(nanos.getAsLong());
            super.write(last, content, new Delegating(callback) {
                @Override
                public void succeeded() {
                    meter.waitEnded(nanos.getAsLong(), bytes);
                    super.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    meter.waitEnded(nanos.getAsLong(), 0);
                    super.failed(x);
                }
            });
        }
    }

    /** A callback that passes completion on and keeps the delegate's invocation type. */
    private static class Delegating implements Callback {
        private final Callback delegate;

        Delegating(Callback delegate) {
            this.delegate = delegate;
        }

        @Override
        public void succeeded() {
            delegate.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            delegate.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }
}
