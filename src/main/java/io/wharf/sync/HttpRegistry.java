package io.wharf.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.remote.ChallengeAuth;
import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A registry reached over the distribution API, as a client: answers its authentication challenges (Bearer realm
 * or Basic), follows blob redirects without carrying credentials to another host, pages catalog and tag lists by
 * their {@code Link} headers, and uploads in chunks with {@code PATCH} and {@code Content-Range} so that an upload
 * interrupted between chunks continues where the registry says it stands.
 */
public final class HttpRegistry implements SyncEndpoint {
    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern RANGE = Pattern.compile("^(?:bytes=)?0-(\\d+)$");

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private final ChallengeAuth auth;
    private final Duration timeout;

    /** An answer the registry gave that the copy cannot use. */
    public static final class RemoteException extends IOException {
        private final int status;

        RemoteException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * @param base the registry's base URL ({@code https://ghcr.io}, {@code http://127.0.0.1:5000})
     * @param username empty for anonymous access
     * @param tlsVerify false to accept any certificate (a test registry with a self-signed one)
     */
    public HttpRegistry(URI base, String username, String password, boolean tlsVerify, ObjectMapper json,
            Duration timeout, Clock clock) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.json = json;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        if (!tlsVerify) {
            b.sslContext(trustingEveryCertificate());
        }
        this.http = b.build();
        this.auth = new ChallengeAuth(username, password, http, json, timeout, clock, "wharf-sync");
    }

    @Override
    public String describe() {
        return base.toString().replaceAll("/$", "");
    }

    @Override
    public List<String> repositories() throws IOException {
        List<String> all = new ArrayList<>();
        String next = "v2/_catalog?n=1000";
        while (next != null) {
            HttpResponse<InputStream> r = send("GET", base.resolve(next), Map.of(), "registry:catalog:*", null, -1);
            JsonNode page = readJson(r, 200, "the catalog");
            page.path("repositories").forEach(n -> all.add(n.asText()));
            next = nextPage(r);
        }
        return all;
    }

    @Override
    public List<String> tags(String repo) throws IOException {
        List<String> all = new ArrayList<>();
        String next = "v2/" + repo + "/tags/list?n=1000";
        while (next != null) {
            HttpResponse<InputStream> r = send("GET", base.resolve(next), Map.of(), pull(repo), null, -1);
            if (r.statusCode() == 404) {
                r.body().close();
                return all;
            }
            JsonNode page = readJson(r, 200, "the tags of " + repo);
            page.path("tags").forEach(n -> all.add(n.asText()));
            next = nextPage(r);
        }
        return all;
    }

    @Override
    public Optional<RawManifest> manifest(String repo, String reference) throws IOException {
        HttpResponse<InputStream> r = send("GET", url(repo, "manifests/" + reference),
                Map.of("Accept", MediaType.MANIFEST_ACCEPT), pull(repo), null, -1);
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expect(r, "the manifest " + repo + ":" + reference, 200);
            byte[] payload = body.readNBytes(MAX_MANIFEST + 1);
            if (payload.length > MAX_MANIFEST) {
                throw new RemoteException(describe() + " sent a manifest over 4 MiB for " + repo + ":" + reference,
                        200);
            }
            Digest digest = Digest.compute(Digest.Algorithm.SHA256, payload);
            String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
            return Optional.of(new RawManifest(digest, type, payload));
        }
    }

    @Override
    public Optional<Digest> manifestDigest(String repo, String reference) throws IOException {
        HttpResponse<InputStream> r = send("HEAD", url(repo, "manifests/" + reference),
                Map.of("Accept", MediaType.MANIFEST_ACCEPT), pull(repo), null, -1);
        r.body().close();
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, "the manifest " + repo + ":" + reference, 200);
        Optional<String> d = r.headers().firstValue("Docker-Content-Digest");
        if (d.isEmpty() || !Digest.isValid(d.get())) {
            // Without a digest header the manifest itself says.
            return manifest(repo, reference).map(RawManifest::digest);
        }
        return Optional.of(Digest.parse(d.get()));
    }

    @Override
    public boolean putManifest(String repo, String reference, RawManifest manifest) throws IOException {
        HttpResponse<InputStream> r = send("PUT", url(repo, "manifests/" + reference),
                Map.of("Content-Type", manifest.mediaType()), push(repo), manifest.payload(), -1);
        r.body().close();
        expect(r, "storing the manifest " + repo + ":" + reference, 201);
        return r.headers().firstValue("OCI-Subject").isPresent();
    }

    @Override
    public OptionalLong blobSize(String repo, Digest digest) throws IOException {
        HttpResponse<InputStream> r = send("HEAD", url(repo, "blobs/" + digest), Map.of(), pull(repo), null, -1);
        r.body().close();
        if (r.statusCode() == 404) {
            return OptionalLong.empty();
        }
        expect(r, "the blob " + repo + "@" + digest, 200);
        return r.headers().firstValueAsLong("Content-Length");
    }

    @Override
    public InputStream openBlob(String repo, Digest digest, long offset) throws IOException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = send("GET", url(repo, "blobs/" + digest), headers, pull(repo), null, -1);
        if (r.statusCode() == 206) {
            return r.body();
        }
        if (r.statusCode() != 200) {
            r.body().close();
            expect(r, "the blob " + repo + "@" + digest, 200);
        }
        InputStream body = r.body();
        // The registry ignored the range: skip what the other side already has.
        body.skipNBytes(offset);
        return body;
    }

    @Override
    public boolean mount(String repo, String from, Digest digest) throws IOException {
        HttpResponse<InputStream> r = send("POST", url(repo, "blobs/uploads/?mount=" + digest + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8)), Map.of(), push(repo), new byte[0], 0);
        r.body().close();
        if (r.statusCode() == 201) {
            return true;
        }
        if (r.statusCode() == 202) {
            // The registry started an ordinary upload instead; it is not needed.
            r.headers().firstValue("Location").ifPresent(l -> cancelUpload(repo, l));
        }
        return false;
    }

    @Override
    public String startUpload(String repo) throws IOException {
        HttpResponse<InputStream> r = send("POST", url(repo, "blobs/uploads/"), Map.of(), push(repo), new byte[0], 0);
        r.body().close();
        expect(r, "starting an upload to " + repo, 202);
        return location(r);
    }

    @Override
    public OptionalLong uploadOffset(String repo, String handle) throws IOException {
        HttpResponse<InputStream> r = send("GET", base.resolve(handle), Map.of(), push(repo), null, -1);
        r.body().close();
        if (r.statusCode() == 404 || r.statusCode() == 400) {
            return OptionalLong.empty();
        }
        expect(r, "the upload's status in " + repo, 204);
        return OptionalLong.of(receivedBytes(r));
    }

    @Override
    public String appendUpload(String repo, String handle, InputStream chunk, long offset, long length)
            throws IOException {
        Map<String, String> headers = Map.of("Content-Type", "application/octet-stream",
                "Content-Range", offset + "-" + (offset + length - 1));
        HttpResponse<InputStream> r = send("PATCH", base.resolve(handle), headers, push(repo), chunk, length);
        r.body().close();
        expect(r, "a chunk of an upload to " + repo, 202);
        if (offset + length > 1 && receivedBytes(r) != offset + length) {
            throw new RemoteException(describe() + " acknowledged " + receivedBytes(r) + " bytes of an upload to "
                    + repo + " after " + (offset + length) + " were sent", r.statusCode());
        }
        return location(r);
    }

    @Override
    public void completeUpload(String repo, String handle, Digest digest) throws IOException {
        URI u = base.resolve(handle);
        String sep = u.getRawQuery() == null ? "?" : "&";
        HttpResponse<InputStream> r = send("PUT", URI.create(u + sep + "digest=" + digest),
                Map.of("Content-Type", "application/octet-stream"), push(repo), new byte[0], 0);
        r.body().close();
        expect(r, "completing the upload of " + digest + " to " + repo, 201);
    }

    @Override
    public void cancelUpload(String repo, String handle) {
        try {
            send("DELETE", base.resolve(handle), Map.of(), push(repo), null, -1).body().close();
        } catch (IOException e) {
            // Best effort: the registry purges abandoned uploads itself.
        }
    }

    @Override
    public Optional<List<Referrer>> referrers(String repo, Digest subject) throws IOException {
        HttpResponse<InputStream> r = send("GET", url(repo, "referrers/" + subject), Map.of(), pull(repo), null, -1);
        if (r.statusCode() == 404 || r.statusCode() == 405 || r.statusCode() == 400) {
            String type = r.headers().firstValue("Content-Type").orElse("");
            r.body().close();
            // A registry with the API answers 404 only for an unknown repository, with an index or a JSON error;
            // one without it (Distribution 2.8.2) answers "404 page not found" in plain text.
            return type.startsWith("application/vnd.oci.image.index.v1+json") ? Optional.of(List.of())
                    : Optional.empty();
        }
        JsonNode index = readJson(r, 200, "the referrers of " + repo + "@" + subject);
        List<Referrer> list = new ArrayList<>();
        for (JsonNode d : index.path("manifests")) {
            if (Digest.isValid(d.path("digest").asText())) {
                list.add(new Referrer(Digest.parse(d.path("digest").asText()), d.path("mediaType").asText(),
                        d.path("size").asLong(), d.path("artifactType").asText(null)));
            }
        }
        return Optional.of(list);
    }

    private URI url(String repo, String rest) {
        return base.resolve("v2/" + repo + "/" + rest);
    }

    private static String pull(String repo) {
        return "repository:" + repo + ":pull";
    }

    private static String push(String repo) {
        return "repository:" + repo + ":pull,push";
    }

    private String location(HttpResponse<?> r) throws RemoteException {
        return r.headers().firstValue("Location").map(l -> r.request().uri().resolve(l).toString()).orElseThrow(
                () -> new RemoteException(describe() + " answered " + r.statusCode() + " without a Location",
                        r.statusCode()));
    }

    /**
     * The upload's size from its {@code Range: 0-N} header: N+1. Distribution answers "0-0" for an empty upload as
     * for a one-byte one, so a result of 1 may mean 0; callers treat it so.
     */
    private static long receivedBytes(HttpResponse<?> r) {
        Matcher m = RANGE.matcher(r.headers().firstValue("Range").orElse("").trim());
        return m.matches() ? Long.parseLong(m.group(1)) + 1 : 0;
    }

    private String nextPage(HttpResponse<?> r) {
        Optional<String> link = r.headers().firstValue("Link");
        if (link.isEmpty()) {
            return null;
        }
        Matcher m = NEXT.matcher(link.get());
        return m.find() ? r.request().uri().resolve(m.group(1)).toString() : null;
    }

    private JsonNode readJson(HttpResponse<InputStream> r, int status, String what) throws IOException {
        try (InputStream body = r.body()) {
            expect(r, what, status);
            return json.readTree(body.readNBytes(MAX_MANIFEST));
        }
    }

    private void expect(HttpResponse<InputStream> r, String what, int... statuses) throws IOException {
        for (int s : statuses) {
            if (r.statusCode() == s) {
                return;
            }
        }
        String detail = "";
        if (!"HEAD".equals(r.request().method())) {
            try (InputStream body = r.body()) {
                JsonNode error = json.readTree(body.readNBytes(64 << 10)).path("errors").path(0);
                detail = error.isMissingNode() ? "" : ": " + error.path("code").asText() + " "
                        + error.path("message").asText();
            } catch (IOException | RuntimeException e) {
                // Not a spec error body; the status says enough.
            }
        }
        throw new RemoteException(describe() + " answered " + r.statusCode() + " for " + what + detail,
                r.statusCode());
    }

    /**
     * Sends a request: answers one authentication challenge, then follows redirects (credentials only to the same
     * host). A body given as bytes can be re-sent after the challenge; a streamed body cannot, so a stream is only
     * sent once a request without one has been authorised (callers send streams after an upload started).
     */
    private HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers, String scope,
            Object body, long length) throws IOException {
        try {
            HttpResponse<InputStream> r = exchange(method, uri, headers, auth.authorization(scope, false), body,
                    length);
            if (r.statusCode() == 401 && !(body instanceof InputStream)) {
                r.body().close();
                auth.learn(r);
                r = exchange(method, uri, headers, auth.authorization(scope, true), body, length);
            }
            for (int hops = 0; isRedirect(r.statusCode()) && hops < MAX_REDIRECTS && body == null; hops++) {
                URI next = r.request().uri().resolve(r.headers().firstValue("Location").orElseThrow(
                        () -> new IOException("redirect without Location")));
                r.body().close();
                boolean sameHost = next.getHost() != null && next.getHost().equalsIgnoreCase(uri.getHost())
                        && next.getPort() == uri.getPort();
                r = exchange(method, next, headers, sameHost ? auth.authorization(scope, false) : Optional.empty(),
                        null, -1);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while asking " + describe());
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<InputStream> exchange(String method, URI uri, Map<String, String> headers,
            Optional<String> authorization, Object body, long length) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher;
        if (body instanceof byte[] bytes) {
            publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
        } else if (body instanceof InputStream in) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in),
                    length);
        } else {
            publisher = HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, publisher)
                .header("User-Agent", "wharf-sync");
        if (!(body instanceof InputStream)) {
            // A streamed chunk may take long on a slow link; the connection's own timeouts still apply.
            b.timeout(timeout);
        }
        headers.forEach(b::header);
        authorization.ifPresent(a -> b.header("Authorization", a));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static SSLContext trustingEveryCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // Accepted: the operator turned verification off.
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // Accepted: the operator turned verification off.
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }
}
