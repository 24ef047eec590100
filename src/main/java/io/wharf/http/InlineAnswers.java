package io.wharf.http;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Decides, on the network thread that parsed a request, where the rest of the server handles it: a request that
 * {@code fromMemory} vouches for (one that needs no I/O, no lock and no costly computation: a cached manifest's
 * {@code GET} or {@code HEAD} on an open registry) runs through the whole handler chain right there; every other
 * request is handed to a request thread ({@code requestThreads}, the virtual threads), where handlers block
 * freely, as before.
 *
 * <p>Why: handing a request to another thread and back costs two thread wake-ups and a selector wake-up, which on
 * a small virtual machine is about 40% of the CPU a cached manifest {@code GET} takes (docs/BENCHMARKS.md). The
 * answer is the same either way, since the same chain runs; only the thread differs.
 *
 * <p>What the inline path relies on: responses are written without blocking (the endpoints write with the
 * request's callback, so a client that does not read cannot hold the network thread), and {@code fromMemory} is
 * cheap and never blocks. A vouched-for request whose cache entry goes in the microseconds before its handling
 * reads storage on the network thread once; that is the price of not pinning cache entries.
 */
public final class InlineAnswers extends Handler.Wrapper {
    private final Predicate<Request> fromMemory;
    private final Executor requestThreads;
    private final Counter inline;

    /**
     * @param fromMemory whether a request can be answered without I/O or waiting; called on the network thread
     * @param requestThreads where every other request runs
     * @param inline counts the requests answered on the network thread
     */
    public InlineAnswers(Handler handler, Predicate<Request> fromMemory, Executor requestThreads, Counter inline) {
        super(handler);
        this.fromMemory = fromMemory;
        this.requestThreads = requestThreads;
        this.inline = inline;
    }

    /** Non-blocking, so that Jetty calls {@link #handle} on the thread that parsed the request. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (fromMemory.test(request)) {
            inline.increment();
            return super.handle(request, response, callback);
        }
        requestThreads.execute(() -> handleBlocking(request, response, callback));
        return true;
    }

    /** What Jetty does with a blocking handler's outcome: 404 when nobody took the request, an error page on a throw. */
    private void handleBlocking(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable t) {
            Response.writeError(request, response, callback, t);
        }
    }
}
