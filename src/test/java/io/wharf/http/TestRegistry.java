package io.wharf.http;

import io.wharf.config.RegistryConfig;
import io.wharf.server.WharfServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real Wharf server on a free port over a temporary directory, with a small HTTP client. Close it
 * after the test.
 */
public final class TestRegistry implements AutoCloseable {
    private final WharfServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestRegistry(WharfServer server) {
        this.server = server;
    }

    /** A server storing under {@code root} with deletes enabled. */
    public static TestRegistry start(Path root) throws Exception {
        return start(root, c -> c);
    }

    /** A server storing under {@code root}, its configuration adjusted by {@code customise}. */
    public static TestRegistry start(Path root, UnaryOperator<RegistryConfig> customise) throws Exception {
        RegistryConfig d = RegistryConfig.defaults();
        RegistryConfig.Storage s = d.storage();
        RegistryConfig.Storage storage = new RegistryConfig.Storage("filesystem", root, true, false,
                s.uploadPurging(), s.blobDescriptorCache(), s.redirectDisabled());
        RegistryConfig.Http h = d.http();
        RegistryConfig.Http http = new RegistryConfig.Http("127.0.0.1:0", h.net(), h.prefix(), h.host(), h.secret(),
                h.relativeUrls(), h.headers(), h.drainTimeout());
        RegistryConfig.Log log = new RegistryConfig.Log("warn", "text", java.util.Map.of(), true);
        RegistryConfig config = new RegistryConfig(log, storage, http, d.catalog(), d.validation());
        return new TestRegistry(WharfServer.start(customise.apply(config)));
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

    /** Sends a request and reads the body as bytes. */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
