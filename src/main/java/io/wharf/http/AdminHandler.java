package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.auth.AccessController;
import io.wharf.auth.AccessRequest;
import io.wharf.auth.Scope;
import io.wharf.registry.GarbageCollector;
import io.wharf.registry.GcOptions;
import io.wharf.registry.GcRuns;
import io.wharf.registry.GcReport;
import io.wharf.registry.PullStatistics;
import io.wharf.registry.Registry;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wharf's admin API, outside {@code /v2}:
 * <ul>
 *   <li>{@code POST /admin/gc[?dryRun=true][&deleteUntagged=true]}: one online collection; JSON {@link GcReport}</li>
 *   <li>{@code DELETE /admin/repositories/<name>}: deletes a whole repository</li>
 *   <li>{@code GET /admin/metrics}: Prometheus text</li>
 * </ul>
 * Writes honour read-only mode and {@code storage.delete.enabled}; errors use the registry's JSON
 * error body.
 */
public final class AdminHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String REPOSITORIES = "/admin/repositories/";

    private final Registry registry;
    private final GcRuns runs;
    private final GcOptions gcDefaults;
    private final Supplier<String> metrics;
    private final String prefix;
    private final AdminAccess access;
    private final AccessController controller;
    private final PullStatistics pulls;
    private final ObjectMapper json;
    private final ErrorRenderer errors;
    /** Failures logged as the registry's are: a stack trace once per cause, at most 20 lines a second. */
    private final FailureLog failures = FailureLog.forRequests(LOG);

    /**
     * @param runs every online collection goes through it (one at a time; the last outcome is recorded)
     * @param gcDefaults grace period, retention and untagged deletion used unless the request overrides them
     * @param metrics Prometheus exposition text
     * @param prefix the normalised {@code http.prefix}
     * @param controller the registry's access controller: with authentication configured, callers need the
     *     admin scope ({@code registry:admin:*}) on top of the network rule
     * @param pulls per-repository pull counts, answered at {@code GET /admin/pulls}
     */
    public AdminHandler(Registry registry, GcRuns runs, GcOptions gcDefaults, Supplier<String> metrics,
            String prefix, boolean allowRemote, ObjectMapper json, AccessController controller, PullStatistics pulls) {
        this.pulls = pulls;
        this.controller = controller;
        this.registry = registry;
        this.runs = runs;
        this.gcDefaults = gcDefaults;
        this.metrics = metrics;
        this.prefix = prefix;
        this.access = new AdminAccess(allowRemote);
        this.json = json;
        this.errors = new ErrorRenderer(json);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(prefix + "/admin/") && !path.equals(prefix + "/admin")) {
            return false;
        }
        path = path.substring(prefix.length());
        try {
            RawPath.check(request.getHttpURI());
            access.check(request);
            controller.authorize(new AccessRequest(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    Request.getRemoteAddr(request), RegistryHandler.baseUrl(request), List.of(Scope.admin())));
            dispatch(request, response, callback, path);
        } catch (RegistryException e) {
            errors.render(response, e, false, callback);
        } catch (GarbageCollector.BusyException | io.wharf.registry.CoordinationUnavailableException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
            errors.render(response, new RegistryException(ErrorCode.UNAVAILABLE, e.getMessage()), false, callback);
        } catch (Exception e) {
            if (ErrorStep.cause(e, io.wharf.storage.StorageUnavailableException.class) != null) {
                // A collection or deletion that met an object store down or throttling: retryable, as on /v2.
                LOG.warn("{} {}: {}", request.getMethod(), path, e.toString());
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
                errors.render(response, new RegistryException(ErrorCode.UNAVAILABLE,
                        "the storage is unavailable; retry later"), false, callback);
                return true;
            }
            failures.serverError(request.getMethod(), path, RequestIds.current(), e);
            errors.render(response, new RegistryException(ErrorCode.UNKNOWN, null), false, callback);
        }
        return true;
    }

    private void dispatch(Request request, Response response, Callback callback, String path) throws Exception {
        String method = request.getMethod();
        if (path.equals("/admin/gc") && HttpMethod.POST.is(method)) {
            GcReport report = runs.run(options(Request.extractQueryParameters(request)), "admin-api");
            send(response, callback, "application/json", json.writeValueAsBytes(toJson(report)));
        } else if (path.startsWith(REPOSITORIES) && HttpMethod.DELETE.is(method)) {
            RepositoryName repo = RepositoryName.parse(path.substring(REPOSITORIES.length()));
            registry.deleteRepository(repo);
            LOG.info("admin: deleted repository {}", repo);
            response.setStatus(202);
            send(response, callback, "application/json", json.writeValueAsBytes(Map.of("deleted", repo.value())));
        } else if (path.equals("/admin/pulls") && HttpMethod.GET.is(method)) {
            send(response, callback, "application/json", json.writeValueAsBytes(pullsJson(
                    Request.extractQueryParameters(request).getValue("repository"))));
        } else if (path.equals("/admin/mirror/usage") && HttpMethod.GET.is(method)) {
            var caches = new io.wharf.registry.CacheEviction(registry).usage(gcDefaults.caches());
            send(response, callback, "application/json", json.writeValueAsBytes(Map.of("upstreams", caches)));
        } else if (path.equals("/admin/metrics") && HttpMethod.GET.is(method)) {
            send(response, callback, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get().getBytes(StandardCharsets.UTF_8));
        } else {
            throw new RegistryException(ErrorCode.NOT_FOUND, "no admin endpoint " + method + " " + path);
        }
    }

    /** One repository's pull figures (zero when never pulled since start), or the 1,000 most pulled. */
    private Object pullsJson(String repository) {
        if (repository != null) {
            RepositoryName repo = RepositoryName.parse(repository);
            return pulls.of(repo).map(AdminHandler::pullEntry)
                    .orElse(Map.of("repository", repo.value(), "pulls", 0L));
        }
        return Map.of("repositories", pulls.top(1_000).stream().map(AdminHandler::pullEntry).toList());
    }

    private static Map<String, Object> pullEntry(PullStatistics.Entry e) {
        return Map.of("repository", e.repository().value(), "pulls", e.pulls(), "lastPulled", e.lastPulled().toString());
    }

    /** The report as JSON: the record's fields, times as RFC 3339 and milliseconds. */
    private com.fasterxml.jackson.databind.node.ObjectNode toJson(GcReport r) {
        var node = json.createObjectNode();
        node.put("dryRun", r.dryRun());
        node.put("startedAt", r.startedAt().toString());
        node.put("durationMs", r.duration().toMillis());
        node.put("repositories", r.repositories());
        node.put("marked", r.marked());
        node.put("bytesFreed", r.bytesFreed());
        node.put("layerLinksRemoved", r.layerLinksRemoved());
        node.put("keptInGrace", r.keptInGrace());
        node.set("tagsRemoved", json.valueToTree(r.tagsRemoved()));
        node.set("manifestsDeleted", json.valueToTree(r.manifestsDeleted()));
        node.set("blobsDeleted", json.valueToTree(r.blobsDeleted()));
        node.set("repositoriesRemoved", json.valueToTree(r.repositoriesRemoved()));
        node.set("missingManifests", json.valueToTree(r.missingManifests()));
        node.set("evicted", json.valueToTree(r.evicted()));
        node.put("summary", r.summary());
        return node;
    }

    private GcOptions options(Fields query) {
        for (String name : query.getNames()) {
            // A misspelt dryRun (dryrun, dry-run) must not be taken as absent, which means a real collection.
            if (!name.equals("dryRun") && !name.equals("deleteUntagged")) {
                throw new RegistryException(ErrorCode.REQUEST_INVALID,
                        "unknown parameter " + name + "; /admin/gc takes dryRun and deleteUntagged");
            }
        }
        boolean dryRun = flag(query, "dryRun", false);
        boolean deleteUntagged = flag(query, "deleteUntagged", gcDefaults.deleteUntagged());
        return new GcOptions(dryRun, deleteUntagged, gcDefaults.gracePeriod(), gcDefaults.retention(),
                gcDefaults.caches());
    }

    private static boolean flag(Fields query, String name, boolean fallback) {
        String value = query.getValue(name);
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw new RegistryException(ErrorCode.REQUEST_INVALID, name + " must be true or false");
        };
    }

    private static void send(Response response, Callback callback, String type, byte[] body) {
        if (response.getStatus() == 0) {
            response.setStatus(200);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
