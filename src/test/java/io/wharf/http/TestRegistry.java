package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.server.WharfServer;
import io.wharf.spec.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A real Wharf server on a free port over a temporary directory, with a small HTTP client and helpers
 * to push content. Close it after the test.
 */
public final class TestRegistry implements AutoCloseable {
    /** For reading response bodies. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final WharfServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    /** Answers challenges as a client does; none for an open registry. */
    private ChallengeResponder credentials;

    private TestRegistry(WharfServer server) {
        this.server = server;
    }

    /**
     * A server in one cell of the HTTP suite's matrix, storing under {@code root} (when on the filesystem), its
     * htpasswd file and key under {@code authFiles}; its client logs in as needed.
     */
    public static TestRegistry start(Path root, Setup setup, Path authFiles) throws Exception {
        TestRegistry r = start(root, setup.configure(authFiles));
        if (setup.authenticated()) {
            r.login(Setup.USER, Setup.PASSWORD);
        }
        return r;
    }

    /** A server storing under {@code root} with deletes enabled. */
    public static TestRegistry start(Path root) throws Exception {
        return start(root, c -> c);
    }

    /** A server storing under {@code root}, its configuration adjusted by {@code customise}. */
    public static TestRegistry start(Path root, UnaryOperator<RegistryConfig> customise) throws Exception {
        RegistryConfig d = RegistryConfig.defaults();
        RegistryConfig.Storage s = d.storage();
        RegistryConfig.Storage storage = new RegistryConfig.Storage(new io.wharf.config.DriverSettings.Filesystem(root), true, false,
                s.uploadPurging(), s.blobDescriptorCache(), s.redirectDisabled());
        RegistryConfig.Http h = d.http();
        RegistryConfig.Http http = new RegistryConfig.Http("127.0.0.1:0", h.net(), h.prefix(), h.host(), h.secret(),
                h.relativeUrls(), h.headers(), h.drainTimeout());
        RegistryConfig.Log log = new RegistryConfig.Log("warn", "text", java.util.Map.of(), true);
        RegistryConfig config = new RegistryConfig(log, storage, http, d.catalog(), d.validation());
        return new TestRegistry(WharfServer.start(customise.apply(config)));
    }

    /** The configuration with {@code storage} changed by {@code change}. */
    public static RegistryConfig withStorage(RegistryConfig c, UnaryOperator<RegistryConfig.Storage> change) {
        return new RegistryConfig(c.log(), change.apply(c.storage()), c.http(), c.catalog(), c.validation());
    }

    /** The configuration with {@code http} changed by {@code change}. */
    public static RegistryConfig withHttp(RegistryConfig c, UnaryOperator<RegistryConfig.Http> change) {
        return new RegistryConfig(c.log(), c.storage(), change.apply(c.http()), c.catalog(), c.validation());
    }

    /** From now on, answers challenges with this user's password, as a client after {@code docker login}. */
    public void login(String user, String password) {
        credentials = new ChallengeResponder(client, user, password);
        // As docker login does: learn the registry's challenge first, so that a large first upload is not sent
        // without credentials only to be refused mid-body.
        try {
            get("/v2/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public WharfServer server() {
        return server;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI base() {
        return server.baseUri();
    }

    /** A request builder for a path (or absolute URL) on this server. */
    public HttpRequest.Builder request(String pathOrUrl) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : base().resolve(pathOrUrl);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    }

    /** Sends a request and reads the body as bytes, answering an authentication challenge when it has credentials. */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        if (credentials == null || request.headers().firstValue("Authorization").isPresent()) {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        return credentials.send(request);
    }

    public HttpClient client() {
        return client;
    }

    /** Sends {@code method} with an optional body and header name/value pairs. */
    public HttpResponse<byte[]> call(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).method(method,
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return call("GET", path, null, headers);
    }

    public HttpResponse<byte[]> head(String path, String... headers) throws IOException, InterruptedException {
        return call("HEAD", path, null, headers);
    }

    public HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
        return call("DELETE", path, null);
    }

    public HttpResponse<byte[]> post(String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return call("POST", path, body, headers);
    }

    public HttpResponse<byte[]> put(String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return call("PUT", path, body, headers);
    }

    public HttpResponse<byte[]> patch(String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return call("PATCH", path, body, headers);
    }

    /** Pushes a blob in one request ({@code POST ?digest=}), asserting 201; returns its digest. */
    public Digest pushBlob(String repo, byte[] content) throws IOException, InterruptedException {
        Digest d = sha256(content);
        var r = post("/v2/" + repo + "/blobs/uploads/?digest=" + d, content);
        assertThat(r.statusCode()).as("push blob to %s: %s", repo, text(r)).isEqualTo(201);
        return d;
    }

    /**
     * Streams {@code size} generated bytes ({@link io.wharf.testing.GeneratedContent}) into a monolithic upload,
     * never holding them in memory; returns their digest.
     */
    public Digest pushGenerated(String repo, int seed, long size) throws IOException, InterruptedException {
        Digest d = Digest.parse(io.wharf.testing.GeneratedContent.sha256(seed, size));
        var res = send(request("/v2/" + repo + "/blobs/uploads/?digest=" + d)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new io.wharf.testing.GeneratedContent(seed, size)), size))
                .build());
        assertThat(res.statusCode()).as(text(res)).isEqualTo(201);
        return d;
    }

    /** Starts an upload, asserting 202; returns its {@code Location}. */
    public String startUpload(String repo) throws IOException, InterruptedException {
        var r = post("/v2/" + repo + "/blobs/uploads/", null);
        assertThat(r.statusCode()).as("start upload: %s", text(r)).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** Pushes a manifest with the media type as {@code Content-Type}, asserting 201; returns its digest. */
    public Digest pushManifest(String repo, String reference, String mediaType, String payload)
            throws IOException, InterruptedException {
        var r = put("/v2/" + repo + "/manifests/" + reference, utf8(payload), "Content-Type", mediaType);
        assertThat(r.statusCode()).as("push manifest to %s:%s: %s", repo, reference, text(r)).isEqualTo(201);
        Digest d = sha256(utf8(payload));
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        return d;
    }

    /** Pushes a config and one layer blob and an OCI image manifest referencing them under the tag. */
    public Image pushImage(String repo, String tag) throws IOException, InterruptedException {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}");
        byte[] layer = utf8("layer of " + repo + ":" + tag);
        Digest c = pushBlob(repo, config);
        Digest l = pushBlob(repo, layer);
        String manifest = Manifests.ociManifest(Manifests.descriptor(Manifests.OCI_CONFIG, c, config.length),
                Manifests.descriptor(Manifests.OCI_LAYER, l, layer.length));
        Digest m = pushManifest(repo, tag, Manifests.OCI_MANIFEST, manifest);
        return new Image(m, manifest, c, l);
    }

    /**
     * A pushed image.
     *
     * @param digest the manifest's digest
     * @param manifest the manifest text
     * @param config the config blob's digest
     * @param layer the layer blob's digest
     */
    public record Image(Digest digest, String manifest, Digest config, Digest layer) {
        public int size() {
            return utf8(manifest).length;
        }
    }

    public static Digest sha256(byte[] content) {
        return Digest.compute(Digest.Algorithm.SHA256, content);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The response body as JSON. */
    public static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(r), e);
        }
    }

    /**
     * A response read off a raw socket: for requests {@link HttpClient} will not send as written
     * (dot segments, huge headers).
     *
     * @param status the status code
     * @param headers the headers, keyed by lower-cased name (last value wins)
     * @param body the body
     */
    public record RawResponse(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one request line and headers exactly as given (with {@code Host} and
     * {@code Connection: close} added) and reads the answer.
     */
    public RawResponse raw(String method, String target, String... headers) throws IOException {
        return raw(method, target, null, headers);
    }

    /** As {@link #raw(String, String, String...)}, with a body and its {@code Content-Length}. */
    public RawResponse raw(String method, String target, byte[] body, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        req.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            req.append("Content-Length: ").append(body.length).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parseRaw(s.getInputStream());
        }
    }

    /** Sends exactly these bytes (request line, headers and any body, as the test wrote them) and reads the answer. */
    public RawResponse rawExact(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.shutdownOutput();
            return parseRaw(s.getInputStream());
        }
    }

    private static RawResponse parseRaw(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String whole = new String(all, StandardCharsets.ISO_8859_1);
        int end = whole.indexOf("\r\n\r\n");
        assertThat(end).as("a complete response head: %s", whole).isGreaterThan(0);
        String[] lines = whole.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(all, end + 4, all.length - end - 4);
        byte[] b = body.toByteArray();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            b = dechunk(b);
        }
        return new RawResponse(status, headers, b);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(chunked, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (pos < s.length()) {
            int eol = s.indexOf("\r\n", pos);
            int size = Integer.parseInt(s.substring(pos, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, eol + 2, size);
            pos = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
