package io.wharf.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Caps how many requests are handled at once: each holds buffers, and an upload a storage writer, so the cap bounds
 * the memory the server needs whatever the number of connections. A request over the cap waits for a slot, first come
 * first served, parking the virtual thread it runs on; when {@code maxWaiting} requests already wait, it is answered
 * {@code 503} at once (the spec's JSON body, through the server's error handler). A slot is held from the start of
 * the handling until the handler completes its callback, so a response still being written counts.
 *
 * <p>Jetty's {@code QoSHandler} does the same for handlers that must not block, by suspending requests without a
 * thread. Every request here runs on a virtual thread of its own, where waiting costs nothing, and the QoS handler's
 * shared read-write lock (which keeps a per-thread hold count: one more thread-local entry per request) and its
 * wrapper around each response stream were about 4% of a small request's CPU (docs/BENCHMARKS.md).
 */
public final class ConcurrencyLimit extends Handler.Wrapper {
    private final Semaphore slots;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param maxRequests requests handled at once
     * @param maxWaiting requests waiting for a slot at once; beyond, requests are refused
     */
    public ConcurrencyLimit(Handler handler, int maxRequests, int maxWaiting) {
        super(handler);
        if (maxRequests < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("need maxRequests >= 1 and maxWaiting >= 0");
        }
        this.slots = new Semaphore(maxRequests, true);
        this.maxWaiting = maxWaiting;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!slots.tryAcquire() && !awaitSlot()) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "too many requests at once");
            return true;
        }
        Releasing releasing = new Releasing(callback);
        boolean handled;
        try {
            handled = super.handle(request, response, releasing);
        } catch (Throwable t) {
            // Jetty fails its own callback for a handler that throws; this one would never complete.
            releasing.release();
            throw t;
        }
        if (!handled) {
            releasing.release();
        }
        return handled;
    }

    /** Requests waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }

    /** Slots free now. */
    public int available() {
        return slots.availablePermits();
    }

    private boolean awaitSlot() {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            slots.acquire();
            return true;
        } catch (InterruptedException e) {
            // The server is stopping: refuse rather than fail.
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** The handler's callback, giving the slot back once, however the handling ends. */
    private final class Releasing extends Callback.Nested {
        private static final AtomicIntegerFieldUpdater<Releasing> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Releasing.class, "released");
        private volatile int released;

        Releasing(Callback callback) {
            super(callback);
        }

        void release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                slots.release();
            }
        }

        @Override
        public void succeeded() {
            release();
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            release();
            super.failed(x);
        }
    }
}
