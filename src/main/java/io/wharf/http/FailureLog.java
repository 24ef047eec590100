package io.wharf.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs requests that failed on the server's side: one line per failed request (at most {@code perSecond} a second,
 * the rest counted and reported on the next line), with the stack trace only the first time a cause is seen in
 * {@code traceEvery}. A cause is the exception's class and the place it was thrown, so one broken disk does not
 * write the same trace for every request, and a new kind of failure is never hidden behind an old one.
 */
final class FailureLog {
    private final Logger log;
    private final LogLimiter lines;
    private final Cache<String, Boolean> tracedCauses;

    /** The registry's policy for failed requests: at most 20 lines a second, a stack trace once per cause in 10 min. */
    static FailureLog forRequests(Logger log) {
        return new FailureLog(log, 20, Duration.ofMinutes(10), System::nanoTime);
    }

    FailureLog(Logger log, int perSecond, Duration traceEvery, LongSupplier nanos) {
        this.log = log;
        this.lines = new LogLimiter(perSecond, perSecond * 5, nanos);
        this.tracedCauses = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(traceEvery)
                .ticker(nanos::getAsLong).build();
    }

    /** Logs a request answered 500 because of {@code failure}. */
    void serverError(String method, String path, String requestId, Throwable failure) {
        long dropped = lines.allow();
        if (dropped < 0) {
            return;
        }
        String suppressed = dropped > 0 ? " (" + dropped + " failed requests not logged)" : "";
        boolean firstOfItsKind = tracedCauses.asMap().putIfAbsent(cause(failure), Boolean.TRUE) == null;
        if (firstOfItsKind) {
            log.error("{} {} failed [request {}]{}", method, path, requestId, suppressed, failure);
        } else {
            log.error("{} {} failed [request {}]: {} (stack trace logged earlier){}", method, path, requestId,
                    failure.toString(), suppressed);
        }
    }

    private static String cause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StackTraceElement[] at = root.getStackTrace();
        return root.getClass().getName() + (at.length > 0 ? "@" + at[0] : "");
    }
}
