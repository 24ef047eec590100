package io.wharf.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Gives every request an id, whichever endpoint answers it (registry API, token endpoint, UI and its API, admin,
 * probes): on every log line written while its handler runs ({@code req=} in text logs, {@code request.id} in JSON),
 * in the access log and in the {@code X-Request-Id} response header, so a user's report can be found in the log.
 * The id is the server's own; a client's {@code X-Request-Id} is not trusted into the log.
 */
public final class RequestIds extends Handler.Wrapper {
    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request.id";
    /** Distinguishes servers (and restarts) behind one load balancer. */
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final AtomicLong counter = new AtomicLong();

    public RequestIds(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = prefix + "-" + Long.toString(counter.incrementAndGet(), 36);
        MDC.put(MDC_KEY, id);
        response.getHeaders().put(HEADER, id);
        try {
            return super.handle(request, response, callback);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The id of the request the calling thread is handling, or {@code -} outside one. */
    static String current() {
        String id = MDC.get(MDC_KEY);
        return id == null ? "-" : id;
    }
}
