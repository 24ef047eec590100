package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.auth.AccessController;
import io.wharf.registry.Registry;
import io.wharf.spec.RegistryException;
import io.wharf.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP API: a pipeline of {@link Step}s (request id, response headers, CORS, body limit, routing,
 * authorization) ending in the endpoint the route table names, and the single place where exceptions become error
 * responses.
 *
 * <p>Runs on virtual threads, so steps and endpoints block freely.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
    /**
     * Direct memory for the large steps of blob transfers ({@link TransferBuffers}): 4 pulls at once in 1 MiB steps
     * and 48 more in 256 KiB steps; more go in 64 KiB steps, as before the large steps, so that many concurrent pulls
     * need no more direct memory than they did then, plus this.
     */
    private static final long LARGE_TRANSFER_BUDGET = 16L * 1024 * 1024;
    /** Sent on every response, as Distribution does, so clients recognise a V2 registry. */
    static final String API_VERSION_HEADER = ResponseHeadersStep.API_VERSION_HEADER;
    static final String API_VERSION = ResponseHeadersStep.API_VERSION;

    private final Step.Chain pipeline;
    private final ErrorRenderer errors;
    private final UrlBuilder urls;
    private final String prefix;
    /** The direct buffers blob downloads go through; set when the server starts. */
    private TransferBuffers transfers;

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
        this(registry, json, prefix, urls, extraHeaders, maxCatalogEntries, access, cors, Hooks.none());
    }

    /**
     * What joins the pipeline from outside the registry: health checks that close the API while they fail, the
     * HTTP meters, and the mirror's containerd namespaces.
     *
     * @param metrics counts routed requests; {@code null} for none
     * @param namespaces containerd's {@code ?ns=} registry names, each with the local repository prefix it selects
     * @param scope where the domain learns who asks (for events); {@code null} for nowhere
     * @param uploadSecret {@code http.secret}, which signs the upload state in {@code Location}s; empty for none
     */
    public record Hooks(HealthStatus health, HttpMetrics metrics, Map<String, String> namespaces,
            io.wharf.registry.RequestScope scope, String uploadSecret) {
        public Hooks {
            namespaces = Map.copyOf(namespaces);
            java.util.Objects.requireNonNull(uploadSecret, "uploadSecret");
        }

        public static Hooks none() {
            return new Hooks(HealthStatus.none(), null, Map.of(), null, "");
        }
    }

    /** @param observers health gate and meters */
    public RegistryHandler(Registry registry, ObjectMapper json, String prefix, UrlBuilder urls,
            Map<String, List<String>> extraHeaders, int maxCatalogEntries, AccessController access, Cors cors,
            Hooks observers) {
        this.errors = new ErrorRenderer(json);
        this.urls = urls;
        this.prefix = prefix;
        RouteTable routes = routes(registry, json, maxCatalogEntries,
                UploadStates.of(observers.uploadSecret(), json, java.time.Clock.systemUTC()));
        List<Step> steps = new ArrayList<>(List.of(new ErrorStep(errors, LOG),
                new HealthGateStep(observers.health()), new ResponseHeadersStep(extraHeaders), new CorsStep(cors),
                new BodyLimitStep()));
        if (!observers.namespaces().isEmpty()) {
            steps.add(new NamespaceStep(observers.namespaces()));
        }
        steps.add(routes);
        if (observers.metrics() != null) {
            steps.add(observers.metrics().step());
        }
        steps.add(new AuthorizationStep(access));
        if (observers.scope() != null) {
            steps.add(new RequestScopeStep(observers.scope()));
        }
        this.pipeline = Step.pipeline(steps, this::invoke);
    }

    /** The distribution-spec's endpoint table, in its order. */
    private static RouteTable routes(Registry registry, ObjectMapper json, int maxCatalogEntries,
            UploadStates states) {
        var listings = new ListingEndpoints(registry, json, maxCatalogEntries);
        var fields = new EncodedFields();
        var blobs = new BlobEndpoints(registry, fields);
        var uploads = new UploadEndpoints(registry, states);
        var manifests = new ManifestEndpoints(registry, fields);
        return new RouteTable()
                .route(Route.BASE, "GET", Need.LOGIN, listings::base)
                .route(Route.BASE, "HEAD", Need.LOGIN, listings::base)
                .route(Route.BLOB, "HEAD", Need.PULL, blobs::get)
                .route(Route.BLOB, "GET", Need.PULL, blobs::get)
                .route(Route.MANIFEST, "HEAD", Need.PULL, manifests::get)
                .route(Route.MANIFEST, "GET", Need.PULL, manifests::get)
                .route(Route.UPLOAD_START, "POST", Need.PUSH, uploads::start)
                .route(Route.UPLOAD, "PATCH", Need.PUSH, uploads::patch)
                .route(Route.UPLOAD, "PUT", Need.PUSH, uploads::complete)
                .route(Route.MANIFEST, "PUT", Need.PUSH, manifests::put)
                .route(Route.TAGS, "GET", Need.PULL, listings::tags)
                .route(Route.MANIFEST, "DELETE", Need.DELETE, manifests::delete)
                .route(Route.BLOB, "DELETE", Need.DELETE, blobs::delete)
                .route(Route.REFERRERS, "GET", Need.PULL, listings::referrers)
                .route(Route.UPLOAD, "GET", Need.PUSH, uploads::status)
                .route(Route.UPLOAD, "DELETE", Need.PUSH, uploads::cancel)
                .route(Route.CATALOG, "GET", Need.CATALOG, listings::catalog);
    }

    @Override
    protected void doStart() throws Exception {
        transfers = new TransferBuffers(getServer().getByteBufferPool(), LARGE_TRANSFER_BUDGET);
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
        Exchange exchange = new Exchange(request, response, callback, urls, transfers);
        exchange.registryPath(path);
        try {
            pipeline.proceed(exchange);
        } catch (Throwable t) {
            // ErrorStep renders every failure after the request id; this is a failure of that step itself.
            LOG.error("{} {} failed before it could be answered", request.getMethod(), path, t);
            callback.failed(t);
        }
        return true;
    }

    /** The pipeline's end: the endpoint routing chose. */
    private void invoke(Exchange exchange) throws Exception {
        RouteTable.Dispatch dispatch = exchange.dispatch();
        try {
            dispatch.endpoint().handle(exchange, dispatch.match());
        } catch (ClientBodyException e) {
            Route route = dispatch.match().route();
            throw new RegistryException(route.invalidBodyCode(), e.getMessage()
                    + (route == Route.UPLOAD ? "; the upload keeps what arrived: GET it for the offset" : ""), e);
        }
    }

    /** {@code scheme://host[:port]} as the client addressed the server (after trusted {@code X-Forwarded-*}). */
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

}
