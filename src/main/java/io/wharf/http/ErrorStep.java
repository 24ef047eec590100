package io.wharf.http;

import io.wharf.auth.AccessDenied;
import io.wharf.registry.CoordinationUnavailableException;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;

/**
 * Where every failure of the steps after it ends: classified (refused access, the client's error, a broken request
 * body, a client gone away, the server's own failure), logged at its level once, and rendered through the one
 * {@link ErrorRenderer}. Runs inside the request id's scope, so its log lines carry the id.
 */
final class ErrorStep implements Step {
    /** Most of an unread request body drained before an error answer, so the client sees the answer. */
    /** The most of a refused body read to its end, so that the client gets the answer instead of a reset. */
    static final long DRAIN_LIMIT = 8L << 20;
    private final ErrorRenderer errors;
    private final Logger log;
    private final FailureLog failures;
    /** Broken request bodies are the clients' doing: logged at info, at most 20 lines a second. */
    private final LogLimiter clientFailures = new LogLimiter(20, 100, System::nanoTime);
    /** A full disk fails every write until space is freed: one warning a second says so, not one per request. */
    private final LogLimiter fullStorage = new LogLimiter(1, 5, System::nanoTime);

    ErrorStep(ErrorRenderer errors, Logger log) {
        this.errors = errors;
        this.log = log;
        this.failures = FailureLog.forRequests(log);
    }

    @Override
    public void apply(Exchange exchange, Chain next) {
        try {
            next.proceed(exchange);
        } catch (Throwable t) {
            failed(exchange, t);
        }
    }

    private void failed(Exchange exchange, Throwable t) {
        Request request = exchange.request();
        String path = exchange.registryPath();
        ClientBodyException broken = cause(t, ClientBodyException.class);
        Throwable coordination = cause(t, CoordinationUnavailableException.class);
        Throwable storage = cause(t, StorageUnavailableException.class);
        String full = storageFull(t);
        if (t instanceof AccessDenied denied) {
            AccessLog.refused(denied, request);
            fail(exchange, denied);
        } else if (t instanceof RegistryException e) {
            if (broken != null) {
                clientFailed(request, path, broken);
            }
            fail(exchange, e);
        } else if (coordination != null) {
            log.warn("{} {}: {}", request.getMethod(), abbreviate(path), coordination.getMessage());
            fail(exchange, new RegistryException(ErrorCode.UNAVAILABLE, "coordination between instances is "
                    + "unavailable; writes are refused until it is back"));
        } else if (full != null) {
            long dropped = fullStorage.allow();
            if (dropped >= 0) {
                log.warn("{} {}: the storage is full ({}){}", request.getMethod(), abbreviate(path),
                        full, dropped > 0 ? " (" + dropped + " similar lines suppressed)" : "");
            }
            fail(exchange, new RegistryException(ErrorCode.UNAVAILABLE, "the storage is full; retry once space "
                    + "has been freed"));
        } else if (storage != null) {
            // Retryable: an object store that is down or throttling. A broken disk stays a 500.
            log.warn("{} {}: {}", request.getMethod(), abbreviate(path), storage.getMessage());
            fail(exchange, new RegistryException(ErrorCode.UNAVAILABLE, "the storage is unavailable; retry later"));
        } else if (broken != null) {
            clientFailed(request, path, broken);
            fail(exchange, new RegistryException(ErrorCode.REQUEST_INVALID, broken.getMessage()));
        } else if (t instanceof IOException && exchange.response().isCommitted()) {
            log.debug("{} {}: client went away: {}", request.getMethod(), path, t.toString());
            exchange.callback().failed(t);
        } else {
            failures.serverError(request.getMethod(), abbreviate(path), RequestIds.current(), t);
            fail(exchange, new RegistryException(ErrorCode.UNKNOWN, null));
        }
    }

    /**
     * The message of the failure's cause that is the disk's lack of space or quota (ENOSPC, EDQUOT), or
     * {@code null}: retryable once an operator frees space, and not a fault of the server's. The JDK reports these
     * only as text: the C library's English messages, which a server started in the C or an English locale (the
     * image, the package's unit) gets.
     */
    private static String storageFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (c instanceof IOException && m != null
                    && (m.endsWith("No space left on device") || m.endsWith("Disk quota exceeded"))) {
                return m;
            }
        }
        return null;
    }

    /** The first exception of {@code type} in the failure's cause chain, or {@code null}. */
    /** The first throwable of the type in the cause chain, or null. */
    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private void clientFailed(Request request, String path, ClientBodyException e) {
        long dropped = clientFailures.allow();
        if (dropped >= 0) {
            log.info("{} {} from {}: {}{}", request.getMethod(), abbreviate(path), Request.getRemoteAddr(request),
                    e.getMessage(), dropped > 0 ? " (" + dropped + " similar lines suppressed)" : "");
        }
    }

    private void fail(Exchange exchange, RegistryException e) {
        Response response = exchange.response();
        if (response.isCommitted()) {
            exchange.callback().failed(e);
            return;
        }
        drain(exchange.request());
        errors.render(response, e, HttpMethod.HEAD.is(exchange.request().getMethod()), exchange.callback());
    }

    /** Reads what is left of a small request body so the client is not reset before it reads the answer. */
    private static void drain(Request request) {
        long length = request.getLength();
        if (length == 0 || length > DRAIN_LIMIT) {
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            drain(in);
        } catch (IOException | RuntimeException ignored) {
            // The body was already consumed or the client is gone; the answer goes out regardless.
        }
    }

    /** Reads the body on to its end, up to {@link #DRAIN_LIMIT}; a client gone meanwhile ends it quietly. */
    static void drain(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        try {
            while (total < DRAIN_LIMIT && (n = in.read(buf)) > 0) {
                total += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // The client is gone; the answer goes out regardless.
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 150 ? s.substring(0, 150) + "..." : s;
    }
}
