package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.auth.AccessController;
import io.wharf.auth.AccessDenied;
import io.wharf.auth.AccessRequest;
import io.wharf.auth.Grant;
import io.wharf.registry.Registry;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The registry's HTTP API: one route table in the distribution-spec's endpoint order, dispatching
 * to thin endpoint handlers, and the single place where exceptions become error responses.
 *
 * <p>Runs on virtual threads, so handlers block freely.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
    /** Most of an unread request body drained before an error answer, so the client sees the answer. */
    private static final long DRAIN_LIMIT = 8L << 20;
    /** Largest request body declared in {@code Content-Length}; a larger one is refused before a byte is read. */
    static final long MAX_BODY_BYTES = 1L << 40;
    /** Sent on every response, as Distribution does, so clients recognise a V2 registry. */
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";

    private final Map<Route, Map<String, Guarded>> routes = new EnumMap<>(Route.class);
    private final AccessController access;
    private final Cors cors;
    private final ErrorRenderer errors;
    private final UrlBuilder urls;
    private final String prefix;
    private final Map<String, List<String>> extraHeaders;
    private final AtomicLong requestIds = new AtomicLong();
    private final FailureLog failures = new FailureLog(LOG, 20, Duration.ofMinutes(10), System::nanoTime);
    /** Broken request bodies are the clients' doing: logged at info, at most 20 lines a second. */
    private final LogLimiter clientFailures = new LogLimiter(20, 100, System::nanoTime);
    /** Direct 64 KiB buffers for small blob downloads; set when the server starts. */
    private ByteBufferPool.Sized filePool;

    /**
     * @param prefix the {@code http.prefix}, normalised: empty, or starting and not ending with {@code /}
     * @param extraHeaders {@code http.headers}, added to every response
     */
    public RegistryHandler(Registry registry, ObjectMapper json, String prefix, UrlBuilder urls,
            Map<String, List<String>> extraHeaders, int maxCatalogEntries) {
        this(registry, json, prefix, urls, extraHeaders, maxCatalogEntries, AccessController.open(), Cors.disabled());
    }

    /**
     * @param access decides every request, with the scope the route table declares for its endpoint
     * @param cors which browser origins may call the API
     */
    public RegistryHandler(Registry registry, ObjectMapper json, String prefix, UrlBuilder urls,
            Map<String, List<String>> extraHeaders, int maxCatalogEntries, AccessController access, Cors cors) {
        this.access = access;
        this.cors = cors;
        this.errors = new ErrorRenderer(json);
        this.urls = urls;
        this.prefix = prefix;
        this.extraHeaders = extraHeaders;
        var listings = new ListingEndpoints(registry, json, maxCatalogEntries);
        var blobs = new BlobEndpoints(registry);
        var uploads = new UploadEndpoints(registry);
        var manifests = new ManifestEndpoints(registry);
        route(Route.BASE, "GET", Need.LOGIN, listings::base);
        route(Route.BASE, "HEAD", Need.LOGIN, listings::base);
        route(Route.BLOB, "HEAD", Need.PULL, blobs::get);
        route(Route.BLOB, "GET", Need.PULL, blobs::get);
        route(Route.MANIFEST, "HEAD", Need.PULL, manifests::get);
        route(Route.MANIFEST, "GET", Need.PULL, manifests::get);
        route(Route.UPLOAD_START, "POST", Need.PUSH, uploads::start);
        route(Route.UPLOAD, "PATCH", Need.PUSH, uploads::patch);
        route(Route.UPLOAD, "PUT", Need.PUSH, uploads::complete);
        route(Route.MANIFEST, "PUT", Need.PUSH, manifests::put);
        route(Route.TAGS, "GET", Need.PULL, listings::tags);
        route(Route.MANIFEST, "DELETE", Need.DELETE, manifests::delete);
        route(Route.BLOB, "DELETE", Need.DELETE, blobs::delete);
        route(Route.REFERRERS, "GET", Need.PULL, listings::referrers);
        route(Route.UPLOAD, "GET", Need.PUSH, uploads::status);
        route(Route.UPLOAD, "DELETE", Need.PUSH, uploads::cancel);
        route(Route.CATALOG, "GET", Need.CATALOG, listings::catalog);
    }

    /** An endpoint and the access it needs. */
    private record Guarded(Need need, Endpoint endpoint) {
    }

    private void route(Route route, String method, Need need, Endpoint endpoint) {
        routes.computeIfAbsent(route, r -> new TreeMap<>()).put(method, new Guarded(need, endpoint));
    }

    @Override
    protected void doStart() throws Exception {
        filePool = new ByteBufferPool.Sized(getServer().getByteBufferPool(), true, 64 * 1024);
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!prefix.isEmpty()) {
            if (!path.startsWith(prefix + "/")) {
                return false;
            }
            path = path.substring(prefix.length());
        }
        if (!path.startsWith("/v2")) {
            return false;
        }
        MDC.put("request.id", Long.toString(requestIds.incrementAndGet(), 36));
        Exchange exchange = new Exchange(request, response, callback, urls, filePool);
        try {
            commonHeaders(response);
            cors.decorate(request, response);
            if (cors.isPreflight(request)) {
                exchange.send(204);
                return true;
            }
            dispatch(exchange, path);
        } catch (AccessDenied e) {
            AccessLog.refused(e, request);
            fail(exchange, e);
        } catch (RegistryException e) {
            fail(exchange, e);
        } catch (Throwable t) {
            ClientBodyException broken = clientsFault(t);
            if (broken != null) {
                clientFailed(request, path, broken);
                fail(exchange, new RegistryException(ErrorCode.REQUEST_INVALID, broken.getMessage()));
            } else if (t instanceof IOException && response.isCommitted()) {
                LOG.debug("{} {}: client went away: {}", request.getMethod(), path, t.toString());
                callback.failed(t);
            } else {
                failures.serverError(request.getMethod(), abbreviate(path), MDC.get("request.id"), t);
                fail(exchange, new RegistryException(ErrorCode.UNKNOWN, null));
            }
        } finally {
            MDC.remove("request.id");
        }
        return true;
    }

    private void dispatch(Exchange exchange, String path) throws Exception {
        long declared = exchange.request().getLength();
        if (declared > MAX_BODY_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Length " + declared
                    + " is more than the largest body Wharf accepts (" + MAX_BODY_BYTES + " bytes, 1 TiB)");
        }
        Route.Match match = Route.match(path);
        if (match == null) {
            throw new RegistryException(ErrorCode.NOT_FOUND, "no endpoint at " + abbreviate(path));
        }
        Map<String, Guarded> byMethod = routes.get(match.route());
        Guarded guarded = byMethod.get(exchange.request().getMethod());
        if (guarded == null) {
            exchange.header(HttpHeader.ALLOW, String.join(", ", byMethod.keySet()));
            throw new RegistryException(ErrorCode.UNSUPPORTED,
                    exchange.request().getMethod() + " is not supported at this endpoint");
        }
        Request request = exchange.request();
        Grant grant = access.authorize(new AccessRequest(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                Request.getRemoteAddr(request), baseUrl(request), guarded.need().scopes(match)));
        exchange.grant(grant);
        try {
            guarded.endpoint().handle(exchange, match);
        } catch (ClientBodyException e) {
            clientFailed(request, path, e);
            throw new RegistryException(match.route().invalidBodyCode(), e.getMessage()
                    + (match.route() == Route.UPLOAD ? "; the upload keeps what arrived: GET it for the offset" : ""));
        }
    }

    /** The {@link ClientBodyException} behind a failure, if the client's body is what broke. */
    private static ClientBodyException clientsFault(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClientBodyException e) {
                return e;
            }
        }
        return null;
    }

    private void clientFailed(Request request, String path, ClientBodyException e) {
        long dropped = clientFailures.allow();
        if (dropped >= 0) {
            LOG.info("{} {} from {}: {}{}", request.getMethod(), abbreviate(path), Request.getRemoteAddr(request),
                    e.getMessage(), dropped > 0 ? " (" + dropped + " similar lines suppressed)" : "");
        }
    }

    /** {@code scheme://host[:port]} as the client addressed the server (after {@code X-Forwarded-*}). */
    static String baseUrl(Request request) {
        var uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? (request.isSecure() ? "https" : "http") : uri.getScheme();
        int port = uri.getPort();
        boolean defaultPort = port <= 0 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        String host = uri.getHost() != null && uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]" : uri.getHost();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private void commonHeaders(Response response) {
        var headers = response.getHeaders();
        headers.put(API_VERSION_HEADER, API_VERSION);
        extraHeaders.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
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
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            int n;
            while (total < DRAIN_LIMIT && (n = in.read(buf)) > 0) {
                total += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // The body was already consumed or the client is gone; the answer goes out regardless.
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 150 ? s.substring(0, 150) + "..." : s;
    }

}
