package io.wharf.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.auth.AccessController;
import io.wharf.auth.AccessDenied;
import io.wharf.auth.AccessRequest;
import io.wharf.auth.Action;
import io.wharf.auth.Grant;
import io.wharf.auth.Principal;
import io.wharf.auth.Scope;
import io.wharf.auth.UiLogins;
import io.wharf.auth.UiSessions;
import io.wharf.registry.GarbageCollector;
import io.wharf.registry.GcRuns;
import io.wharf.registry.Inventory;
import io.wharf.registry.Registry;
import io.wharf.registry.RepositoryQuery;
import io.wharf.registry.StorageUsage;
import io.wharf.registry.StoredManifest;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.Manifest;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI's JSON API at {@code <prefix>/api/v1/} (documented in {@code docs/UI.md}). Every answer comes from the
 * domain's read models ({@link Inventory}, {@link StorageUsage}, {@link GcRuns}), never from V2 calls.
 *
 * <p>Who asks: an {@code Authorization} header is checked by the registry's access controller (scripts); otherwise
 * the session cookie names the user (the UI); otherwise the caller is anonymous. Every change made with a session
 * cookie must carry the session's CSRF token in {@code X-CSRF-Token}; changes are never accepted from a caller who
 * has neither a session nor an {@code Authorization} header. Listings show only what the caller may pull, and
 * deletes need the repository's delete permission; deleting a whole repository and collecting garbage need the
 * admin permission (on a registry without users: a loopback client, or {@code admin.allowremote}). Errors carry the
 * registry's JSON error body; a missing login is a 401 without a challenge, so browsers do not open their own
 * password window.
 */
public final class ApiHandler extends org.eclipse.jetty.server.Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String CSRF_HEADER = "X-CSRF-Token";
    /** Largest request body read (a login form). */
    private static final int MAX_BODY = 16 * 1024;
    /** Sizes older than this are measured again in the background when a page shows them. */
    private static final java.time.Duration USAGE_MAX_AGE = java.time.Duration.ofMinutes(10);

    /** The parts the API reads and changes. */
    public record Parts(Registry registry, Inventory inventory, StorageUsage usage, GcRuns gc) {
    }

    /**
     * Who may call.
     *
     * @param controller the registry's access controller, for callers with an {@code Authorization} header
     * @param logins the UI's logins under the same users and rules
     * @param sessions session cookies
     * @param allowRemoteAdmin {@code admin.allowremote}, for a registry without users
     */
    public record Access(AccessController controller, UiLogins logins, UiSessions sessions, boolean allowRemoteAdmin) {
    }

    /**
     * The caller of one request. Whether it may administer is asked of the access controller only when an endpoint
     * needs to know (a second password check otherwise spent on every call).
     */
    private record Caller(Principal principal, Grant grant, Optional<UiSessions.Session> session, boolean header,
            java.util.function.BooleanSupplier adminCheck) {
        boolean may(String repository, Action action) {
            return grant.allows(repository, action);
        }

        boolean admin() {
            return adminCheck.getAsBoolean();
        }
    }

    private final Parts parts;
    private final Access access;
    private final AdminAccess network;
    private final String base;
    /** {@code base/}, made once: every request to the server passes through this check. */
    private final String under;
    private final ObjectMapper json;
    private final ErrorRenderer errors;
    /** Failures logged as the registry's are: a stack trace once per cause, at most 20 lines a second. */
    private final FailureLog failures = FailureLog.forRequests(LOG);

    public ApiHandler(Parts parts, Access access, String prefix, ObjectMapper json) {
        this.parts = parts;
        this.access = access;
        this.network = new AdminAccess(access.allowRemoteAdmin());
        this.base = prefix + "/api/v1";
        this.under = base + "/";
        this.json = json;
        this.errors = new ErrorRenderer(json);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(under) && !path.equals(base)) {
            return false;
        }
        String endpoint = path.substring(base.length());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        try {
            Caller caller = caller(request);
            boolean change = !HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod());
            if (change && !endpoint.equals("/session")) {
                checkCsrf(request, caller);
            }
            Object body = dispatch(request, response, endpoint, caller, Request.extractQueryParameters(request));
            send(response, callback, body);
        } catch (AccessDenied e) {
            // A visitor not logged in is the UI's first state, not a refusal worth a line; a wrong password is.
            if (!(e.principal().anonymous() && e.code() == ErrorCode.UNAUTHORIZED)) {
                AccessLog.refused(e, request);
            }
            errors.render(response, e, false, callback);
        } catch (RegistryException e) {
            errors.render(response, e, false, callback);
        } catch (GarbageCollector.BusyException | io.wharf.registry.CoordinationUnavailableException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
            errors.render(response, new RegistryException(ErrorCode.UNAVAILABLE, e.getMessage()), false, callback);
        } catch (Exception e) {
            if (ErrorStep.cause(e, io.wharf.storage.StorageUnavailableException.class) != null) {
                errors.render(response, new RegistryException(ErrorCode.UNAVAILABLE, "storage unavailable"), false,
                        callback);
                return true;
            }
            failures.serverError(request.getMethod(), path, RequestIds.current(), e);
            errors.render(response, new RegistryException(ErrorCode.UNKNOWN, null), false, callback);
        }
        return true;
    }

    private Object dispatch(Request request, Response response, String endpoint, Caller caller, Fields q)
            throws Exception {
        String method = request.getMethod();
        return switch (endpoint + " " + method) {
            case "/session GET" -> session(response, caller, request);
            case "/session POST" -> login(request, response);
            case "/session DELETE" -> logout(request, response, caller);
            case "/repositories GET" -> repositories(caller, q);
            case "/repository GET" -> repository(caller, repo(q, "name"));
            case "/repository DELETE" -> deleteRepository(request, caller, repo(q, "name"));
            case "/tags GET" -> tags(caller, q);
            case "/tag DELETE" -> deleteTag(caller, q);
            case "/manifest GET" -> manifest(caller, q);
            case "/manifest DELETE" -> deleteManifest(caller, q);
            case "/usage GET" -> usage(caller, q, false);
            case "/usage POST" -> usage(caller, q, true);
            case "/gc GET" -> gcStatus(request, caller);
            case "/gc POST" -> gcStart(request, caller);
            case "/gc/plan DELETE" -> gcCancel(request, caller);
            default -> throw new RegistryException(ErrorCode.NOT_FOUND, "no API endpoint " + method + " " + endpoint);
        };
    }

    // ---- who asks

    private Caller caller(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null) {
            String address = Request.getRemoteAddr(request);
            String baseUrl = RegistryHandler.baseUrl(request);
            Grant grant = unchallenged(() -> access.controller().authorize(
                    new AccessRequest(authorization, address, baseUrl, List.of())));
            return new Caller(grant.principal(), grant, Optional.empty(), true, () -> {
                try {
                    access.controller().authorize(new AccessRequest(authorization, address, baseUrl,
                            List.of(Scope.admin())));
                    return true;
                } catch (AccessDenied notAdmin) {
                    return false;
                }
            });
        }
        Optional<UiSessions.Session> session = sessionCookie(request);
        Principal principal = session.map(UiSessions.Session::principal).orElse(Principal.ANONYMOUS);
        boolean admin = (!principal.anonymous() || !access.logins().required())
                && access.logins().mayAdminister(principal);
        return new Caller(principal, access.logins().grant(principal), session, false, () -> admin);
    }

    private static Grant unchallenged(java.util.function.Supplier<Grant> authorize) {
        try {
            return authorize.get();
        } catch (AccessDenied e) {
            if (e.challenge().isPresent()) {
                throw AccessDenied.loginRequired(e.principal(), e.reason());
            }
            throw e;
        }
    }

    private Optional<UiSessions.Session> sessionCookie(Request request) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) {
            if (c.getName().equals(UiSessions.COOKIE)) {
                Optional<UiSessions.Session> s = access.sessions().decode(c.getValue());
                if (s.isPresent()) {
                    return s;
                }
            }
        }
        return Optional.empty();
    }

    private void checkCsrf(Request request, Caller caller) {
        if (caller.header()) {
            return;
        }
        if (caller.session().isEmpty()) {
            throw AccessDenied.loginRequired(caller.principal(), "no session: changes need a login or an "
                    + "Authorization header");
        }
        if (!UiSessions.csrfMatches(caller.session().get(), request.getHeaders().get(CSRF_HEADER))) {
            throw new RegistryException(ErrorCode.DENIED, "missing or wrong " + CSRF_HEADER);
        }
    }

    private void requireUser(Caller caller) {
        if (caller.principal().anonymous() && access.logins().required()) {
            throw AccessDenied.loginRequired(caller.principal(), "log in first");
        }
    }

    private void requireAdmin(Request request, Caller caller) {
        requireUser(caller);
        if (!access.logins().required() && !caller.header()) {
            network.check(request);
        }
        if (!caller.admin()) {
            throw AccessDenied.denied(caller.principal(), List.of(Scope.admin()), "needs the admin permission");
        }
    }

    /** The repository, when the caller may pull it; a name the caller may not see is unknown to it. */
    private RepositoryName visible(Caller caller, RepositoryName repo) {
        if (!caller.may(repo.value(), Action.PULL)) {
            if (caller.principal().anonymous() && access.logins().required()) {
                throw AccessDenied.loginRequired(caller.principal(), "log in to see " + repo);
            }
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo.value() + " is not known");
        }
        return repo;
    }

    // ---- sessions

    private Object session(Response response, Caller caller, Request request) {
        UiSessions.Session session = caller.session().orElse(null);
        if (session == null && !caller.header()) {
            // An anonymous session only carries the CSRF token for the changes an open registry allows.
            session = access.sessions().open(Principal.ANONYMOUS);
            setCookie(response, request, access.sessions().encode(session), session.expiresAt());
        }
        ObjectNode n = json.createObjectNode();
        n.put("user", caller.principal().anonymous() ? null : caller.principal().name());
        n.put("loginRequired", access.logins().required());
        n.put("loginAvailable", access.logins().available());
        n.put("admin", caller.admin());
        n.put("csrf", session == null ? null : session.csrf());
        n.put("expiresAt", session == null ? null : session.expiresAt().toString());
        Registry.RegistryOptions options = parts.registry().options();
        n.put("deleteEnabled", options.deleteEnabled() && !options.readOnly());
        n.put("readOnly", options.readOnly());
        return n;
    }

    private Object login(Request request, Response response) throws IOException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        // A form from another site cannot send JSON without a CORS preflight this API never answers.
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "login needs Content-Type: application/json");
        }
        JsonNode body = body(request);
        String user = body.path("username").asText("");
        String password = body.path("password").asText("");
        if (user.isEmpty() || password.isEmpty()) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "username and password are required");
        }
        Principal principal = access.logins().login(user, password, Request.getRemoteAddr(request));
        UiSessions.Session session = access.sessions().open(principal);
        setCookie(response, request, access.sessions().encode(session), session.expiresAt());
        LOG.info("ui: {} logged in from {}", principal, Request.getRemoteAddr(request));
        boolean admin = access.logins().mayAdminister(principal);
        Caller caller = new Caller(principal, access.logins().grant(principal), Optional.of(session), false,
                () -> admin);
        return session(response, caller, request);
    }

    private Object logout(Request request, Response response, Caller caller) {
        checkCsrf(request, caller);
        setCookie(response, request, "", Instant.EPOCH);
        return Map.of("user", "");
    }

    private void setCookie(Response response, Request request, String value, Instant expires) {
        long maxAge = Math.max(0, java.time.Duration.between(Instant.now(), expires).toSeconds());
        HttpCookie cookie = HttpCookie.build(UiSessions.COOKIE, value)
                .path(base.substring(0, base.length() - "/api/v1".length()) + "/")
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(value.isEmpty() ? 0 : maxAge)
                .build();
        Response.addCookie(response, cookie);
    }

    private JsonNode body(Request request) throws IOException {
        long length = request.getLength();
        if (length > MAX_BODY) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "body larger than " + MAX_BODY + " bytes");
        }
        try (var in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, "body larger than " + MAX_BODY + " bytes");
            }
            if (bytes.length == 0) {
                return json.createObjectNode();
            }
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryException(ErrorCode.REQUEST_INVALID, "body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "body is not JSON");
        }
    }

    // ---- listings

    private Object repositories(Caller caller, Fields q) throws IOException {
        RepositoryQuery query = query(q, "name");
        Optional<StorageUsage.Report> report = parts.usage().latestRefreshing(USAGE_MAX_AGE);
        Map<String, Long> bytes = report.map(StorageUsage.Report::bytesByRepository).orElse(Map.of());
        var page = parts.inventory().repositories(query, name -> caller.grant().lists(name), bytes);
        ObjectNode n = pageNode(page.total(), page.offset(), query.limit());
        ArrayNode items = n.putArray("items");
        Map<String, StorageUsage.RepositoryUsage> usage = report.map(StorageUsage.Report::repositories)
                .orElse(Map.of());
        for (Inventory.RepositoryView v : page.items()) {
            ObjectNode item = items.addObject();
            item.put("name", v.name());
            item.put("namespace", v.namespace());
            item.put("tags", v.tags().size());
            item.put("lastPush", v.tags().isEmpty() ? null : v.lastPush().toString());
            StorageUsage.RepositoryUsage u = usage.get(v.name());
            item.put("bytes", u == null ? null : u.bytes());
            item.put("uniqueBytes", u == null ? null : u.uniqueBytes());
        }
        ObjectNode namespaces = n.putObject("namespaces");
        page.namespaces().forEach(namespaces::put);
        report.ifPresent(r -> n.put("usageComputedAt", r.computedAt().toString()));
        return n;
    }

    private Object repository(Caller caller, RepositoryName repo) throws IOException {
        visible(caller, repo);
        Inventory.RepositoryView v = parts.inventory().repository(repo)
                .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN,
                        "repository " + repo.value() + " is not known"));
        ObjectNode n = json.createObjectNode();
        n.put("name", v.name());
        n.put("namespace", v.namespace());
        n.put("tags", v.tags().size());
        n.put("lastPush", v.tags().isEmpty() ? null : v.lastPush().toString());
        parts.usage().latestRefreshing(USAGE_MAX_AGE).map(r -> r.repositories().get(v.name())).ifPresent(u -> {
            n.put("bytes", u.bytes());
            n.put("uniqueBytes", u.uniqueBytes());
            n.put("blobs", u.blobs());
        });
        ObjectNode may = n.putObject("may");
        may.put("push", caller.may(v.name(), Action.PUSH));
        may.put("delete", deletes() && caller.may(v.name(), Action.DELETE));
        may.put("deleteRepository", !parts.registry().options().readOnly() && caller.admin());
        return n;
    }

    private Object tags(Caller caller, Fields q) throws IOException {
        RepositoryName repo = visible(caller, repo(q, "repository"));
        RepositoryQuery query = query(q, "pushed");
        Inventory.RepositoryView v = parts.inventory().repository(repo)
                .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN,
                        "repository " + repo.value() + " is not known"));
        List<Inventory.TagView> tags = new ArrayList<>();
        for (Inventory.TagView t : v.tags()) {
            if (query.matchesName(t.name())) {
                tags.add(t);
            }
        }
        Comparator<Inventory.TagView> byName = Comparator.comparing(Inventory.TagView::name);
        Comparator<Inventory.TagView> order = switch (query.sort()) {
            case NAME -> byName;
            case PUSHED -> Comparator.comparing(Inventory.TagView::pushedAt).thenComparing(byName);
            case SIZE -> Comparator.comparingLong(Inventory.TagView::size).thenComparing(byName);
        };
        tags.sort(query.descending() ? order.reversed() : order);
        var page = RepositoryQuery.Page.of(tags, query, Map.of());
        ObjectNode n = pageNode(page.total(), page.offset(), query.limit());
        n.put("repository", repo.value());
        ArrayNode items = n.putArray("items");
        for (Inventory.TagView t : page.items()) {
            ObjectNode item = items.addObject();
            item.put("name", t.name());
            item.put("digest", t.digest().toString());
            item.put("mediaType", t.mediaType());
            item.put("artifactType", t.artifactType());
            item.put("pushedAt", t.pushedAt().toString());
            item.put("size", t.size());
            ArrayNode platforms = item.putArray("platforms");
            t.platforms().forEach(platforms::add);
        }
        return n;
    }

    private Object manifest(Caller caller, Fields q) throws IOException {
        RepositoryName repo = visible(caller, repo(q, "repository"));
        Reference reference = Reference.parse(required(q, "reference"));
        Inventory.ImageView image = parts.inventory().image(repo, reference);
        StoredManifest stored = image.stored();
        Manifest m = stored.manifest();
        ObjectNode n = json.createObjectNode();
        n.put("repository", repo.value());
        n.put("digest", stored.digest().toString());
        n.put("mediaType", m.mediaType().toString());
        n.put("artifactType", m.artifactType());
        n.put("size", stored.payload().length);
        ArrayNode tags = n.putArray("tags");
        image.tags().forEach(tags::add);
        n.set("manifest", parseOrText(stored.payload()));
        n.set("annotations", json.valueToTree(m.annotations()));
        n.put("subject", m.subject() == null ? null : m.subject().digest().toString());
        if (m.config() != null) {
            n.set("configDescriptor", descriptor(m.config()));
            image.config().ifPresent(c -> {
                JsonNode config = parseOrText(c);
                n.set("config", config);
                n.set("history", config.path("history").isArray() ? config.get("history") : json.createArrayNode());
            });
        }
        ArrayNode layers = n.putArray("layers");
        long total = stored.payload().length + (m.config() == null ? 0 : m.config().size());
        for (Descriptor layer : m.layers()) {
            layers.add(descriptor(layer));
            total += layer.size();
        }
        ArrayNode children = n.putArray("children");
        for (Descriptor child : m.manifests()) {
            ObjectNode c = descriptor(child);
            c.put("platform", Inventory.platformOf(child).orElse(null));
            c.put("stored", image.children().stream().anyMatch(s -> s.digest().equals(child.digest())));
            children.add(c);
            total += child.size();
        }
        n.put("totalSize", total);
        ArrayNode referrers = n.putArray("referrers");
        for (Registry.ReferrerDescriptor r : image.referrers()) {
            ObjectNode item = referrers.addObject();
            item.put("digest", r.digest().toString());
            item.put("mediaType", r.mediaType());
            item.put("artifactType", r.artifactType());
            item.put("size", r.size());
            item.set("annotations", json.valueToTree(r.annotations()));
        }
        ObjectNode may = n.putObject("may");
        may.put("delete", deletes() && caller.may(repo.value(), Action.DELETE));
        return n;
    }

    private ObjectNode descriptor(Descriptor d) {
        ObjectNode n = json.createObjectNode();
        n.put("digest", d.digest().toString());
        n.put("mediaType", d.mediaType() == null ? null : d.mediaType().toString());
        n.put("size", d.size());
        if (d.artifactType() != null) {
            n.put("artifactType", d.artifactType());
        }
        if (!d.annotations().isEmpty()) {
            n.set("annotations", json.valueToTree(d.annotations()));
        }
        return n;
    }

    /** Content as JSON when it parses, else as a string, so any stored content can be shown. */
    private JsonNode parseOrText(byte[] content) {
        try {
            JsonNode node = json.readTree(content);
            return node == null ? json.getNodeFactory().nullNode() : node;
        } catch (IOException e) {
            return json.getNodeFactory().textNode(new String(content, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    // ---- deletes

    private boolean deletes() {
        Registry.RegistryOptions options = parts.registry().options();
        return options.deleteEnabled() && !options.readOnly();
    }

    private void requireDelete(Caller caller, RepositoryName repo) {
        requireUser(caller);
        if (!caller.may(repo.value(), Action.DELETE)) {
            throw AccessDenied.denied(caller.principal(),
                    List.of(Scope.repository(repo.value(), Action.DELETE)), "no delete permission");
        }
    }

    private Object deleteTag(Caller caller, Fields q) throws IOException {
        RepositoryName repo = visible(caller, repo(q, "repository"));
        Tag tag = new Tag(required(q, "tag"));
        requireDelete(caller, repo);
        parts.registry().manifests().deleteTag(repo, tag);
        parts.inventory().invalidate(repo);
        LOG.info("ui: {} deleted tag {}:{}", caller.principal(), repo, tag);
        return Map.of("deleted", repo.value() + ":" + tag.value());
    }

    private Object deleteManifest(Caller caller, Fields q) throws IOException {
        RepositoryName repo = visible(caller, repo(q, "repository"));
        Digest digest = Digest.parse(required(q, "digest"));
        requireDelete(caller, repo);
        parts.registry().manifests().delete(repo, digest);
        parts.inventory().invalidate(repo);
        LOG.info("ui: {} deleted manifest {}@{}", caller.principal(), repo, digest);
        return Map.of("deleted", repo.value() + "@" + digest);
    }

    private Object deleteRepository(Request request, Caller caller, RepositoryName repo) throws IOException {
        visible(caller, repo);
        requireAdmin(request, caller);
        parts.registry().deleteRepository(repo);
        parts.inventory().invalidate(repo);
        LOG.info("ui: {} deleted repository {}", caller.principal(), repo);
        return Map.of("deleted", repo.value());
    }

    // ---- storage and garbage collection

    private Object usage(Caller caller, Fields q, boolean recompute) throws IOException {
        requireUser(caller);
        StorageUsage.Report report = recompute ? parts.usage().compute() : parts.usage().current();
        parts.usage().latestRefreshing(USAGE_MAX_AGE);
        RepositoryQuery query = query(q, "size");
        List<StorageUsage.RepositoryUsage> rows = new ArrayList<>();
        for (StorageUsage.RepositoryUsage u : report.repositories().values()) {
            if (caller.grant().lists(u.name()) && query.matchesName(u.name())) {
                rows.add(u);
            }
        }
        Comparator<StorageUsage.RepositoryUsage> byName = Comparator.comparing(StorageUsage.RepositoryUsage::name);
        Comparator<StorageUsage.RepositoryUsage> order = switch (query.sort()) {
            case NAME, PUSHED -> byName;
            case SIZE -> Comparator.comparingLong(StorageUsage.RepositoryUsage::bytes).thenComparing(byName);
        };
        if ("unique".equals(q.getValue("sort"))) {
            order = Comparator.comparingLong(StorageUsage.RepositoryUsage::uniqueBytes).thenComparing(byName);
        }
        rows.sort(query.descending() ? order.reversed() : order);
        var page = RepositoryQuery.Page.of(rows, query, Map.of());
        ObjectNode n = pageNode(page.total(), page.offset(), query.limit());
        n.put("computedAt", report.computedAt().toString());
        n.put("tookMs", report.took().toMillis());
        if (caller.admin()) {
            ObjectNode totals = n.putObject("totals");
            totals.put("storedBytes", report.storedBytes());
            totals.put("storedBlobs", report.storedBlobs());
            totals.put("referencedBytes", report.referencedBytes());
            totals.put("referencedBlobs", report.referencedBlobs());
            totals.put("unreferencedBytes", report.unreferencedBytes());
            totals.put("repositories", report.repositories().size());
        }
        ArrayNode items = n.putArray("items");
        for (StorageUsage.RepositoryUsage u : page.items()) {
            ObjectNode item = items.addObject();
            item.put("name", u.name());
            item.put("bytes", u.bytes());
            item.put("uniqueBytes", u.uniqueBytes());
            item.put("blobs", u.blobs());
        }
        return n;
    }

    private Object gcStatus(Request request, Caller caller) throws IOException {
        requireUser(caller);
        GcRuns.Status status = parts.gc().status();
        ObjectNode n = json.createObjectNode();
        n.put("mayRun", caller.admin() && !parts.registry().options().readOnly() && adminNetworkAllows(request,
                caller));
        status.running().ifPresentOrElse(r -> n.set("running", run(r)), () -> n.putNull("running"));
        status.last().ifPresentOrElse(o -> {
            ObjectNode last = run(o.run());
            last.put("finishedAt", o.finishedAt().toString());
            last.put("summary", o.summary());
            last.put("failed", o.failed());
            last.put("bytesFreed", o.bytesFreed());
            last.put("blobsDeleted", o.blobsDeleted());
            last.put("manifestsDeleted", o.manifestsDeleted());
            n.set("last", last);
        }, () -> n.putNull("last"));
        status.planned().ifPresentOrElse(p -> {
            ObjectNode planned = n.putObject("planned");
            planned.put("at", p.at().toString());
            planned.put("by", p.by());
            planned.put("dryRun", p.dryRun());
            planned.put("deleteUntagged", p.deleteUntagged());
        }, () -> n.putNull("planned"));
        n.put("deleteUntaggedDefault", parts.gc().defaults().deleteUntagged());
        n.put("gracePeriodSeconds", parts.gc().defaults().gracePeriod().toSeconds());
        return n;
    }

    private boolean adminNetworkAllows(Request request, Caller caller) {
        if (access.logins().required() || caller.header()) {
            return true;
        }
        try {
            network.check(request);
            return true;
        } catch (RegistryException refused) {
            return false;
        }
    }

    private ObjectNode run(GcRuns.Run r) {
        ObjectNode n = json.createObjectNode();
        n.put("startedAt", r.startedAt().toString());
        n.put("startedBy", r.startedBy());
        n.put("dryRun", r.dryRun());
        n.put("deleteUntagged", r.deleteUntagged());
        return n;
    }

    private Object gcStart(Request request, Caller caller) throws IOException {
        requireAdmin(request, caller);
        JsonNode body = body(request);
        boolean dryRun = flag(body, "dryRun", false);
        boolean deleteUntagged = flag(body, "deleteUntagged", parts.gc().defaults().deleteUntagged());
        String who = caller.principal().anonymous() ? "ui" : caller.principal().name();
        if (!dryRun) {
            parts.registry().checkWritable();
        }
        if (body.hasNonNull("at")) {
            Instant at;
            try {
                at = Instant.parse(body.get("at").asText());
            } catch (DateTimeParseException e) {
                throw new RegistryException(ErrorCode.REQUEST_INVALID, "at must be an RFC 3339 time in UTC");
            }
            parts.gc().plan(new GcRuns.Planned(at, who, dryRun, deleteUntagged));
            LOG.info("ui: {} planned a garbage collection at {}", who, at);
            return gcStatus(request, caller);
        }
        parts.gc().start(parts.gc().options(dryRun, deleteUntagged), who);
        LOG.info("ui: {} started a garbage collection (dry run {}, delete untagged {})", who, dryRun, deleteUntagged);
        return gcStatus(request, caller);
    }

    /**
     * A JSON boolean, or {@code fallback} when absent or null. Anything else is refused: Jackson's lenient reading
     * took {@code "yes"} for false, and so a collection asked to be a dry run deleted for real.
     */
    private static boolean flag(JsonNode body, String name, boolean fallback) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, name + " must be true or false");
        }
        return v.booleanValue();
    }

    private Object gcCancel(Request request, Caller caller) throws IOException {
        requireAdmin(request, caller);
        parts.gc().cancelPlan();
        return gcStatus(request, caller);
    }

    // ---- parameters and answers

    private static RepositoryQuery query(Fields q, String defaultSort) {
        String sort = q.getValue("sort");
        if ("unique".equals(sort)) {
            sort = "size";
        }
        String namespace = q.getValue("namespace");
        return new RepositoryQuery(q.getValue("q"), "/".equals(namespace) ? "" : namespace,
                RepositoryQuery.Sort.parse(sort == null ? defaultSort : sort),
                order(q.getValue("order"), !"name".equals(sort == null ? defaultSort : sort)),
                integer(q, "offset", 0), integer(q, "limit", 50), "true".equals(q.getValue("untagged")));
    }

    private static boolean order(String value, boolean fallbackDescending) {
        if (value == null || value.isEmpty()) {
            return fallbackDescending;
        }
        return switch (value) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw new RegistryException(ErrorCode.REQUEST_INVALID, "order must be asc or desc");
        };
    }

    private static int integer(Fields q, String name, int fallback) {
        String value = q.getValue(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, name + " must be a number");
        }
    }

    private static String required(Fields q, String name) {
        String value = q.getValue(name);
        if (value == null || value.isEmpty()) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "parameter " + name + " is required");
        }
        return value;
    }

    private static RepositoryName repo(Fields q, String name) {
        return RepositoryName.parse(required(q, name));
    }

    private ObjectNode pageNode(int total, int offset, int limit) {
        ObjectNode n = json.createObjectNode();
        n.put("total", total);
        n.put("offset", offset);
        n.put("limit", limit);
        return n;
    }

    private void send(Response response, Callback callback, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
