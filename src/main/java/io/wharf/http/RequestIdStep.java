package io.wharf.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * Gives every request an id: on every log line written while it runs ({@code req=} in text logs, {@code request.id}
 * in JSON) and in the {@code X-Request-Id} response header, so a user's report can be found in the log. The id is
 * the server's own; a client's {@code X-Request-Id} is not trusted into the log.
 */
final class RequestIdStep implements Step {
    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request.id";
    /** Distinguishes servers (and restarts) behind one load balancer. */
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final AtomicLong counter = new AtomicLong();

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        String id = prefix + "-" + Long.toString(counter.incrementAndGet(), 36);
        MDC.put(MDC_KEY, id);
        exchange.header(HEADER, id);
        try {
            next.proceed(exchange);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
