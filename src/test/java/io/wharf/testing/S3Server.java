package io.wharf.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server for tests: S3Proxy in this JVM, storing objects as files in a directory of the test's, on a free
 * loopback port, requiring AWS signatures with its own random keys. Its Jetty is relocated inside its jar, so it
 * does not meet Wharf's. Close it after the test.
 */
public final class S3Server implements AutoCloseable {
    /** S3Proxy accepts any region in a signature; tests name one so the SDK never looks for it. */
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final String accessKey;
    private final String secretKey;

    private S3Server(S3Proxy proxy, BlobStore store, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.store = store;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server keeping its objects below {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("s3-data"));
        BlobStore store = new FilesystemNio2BlobStore(data.toString());
        String accessKey = "AK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
        String secretKey = UUID.randomUUID().toString() + UUID.randomUUID();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 20 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3Server(proxy, store, accessKey, secretKey);
    }

    /** Creates a bucket and returns its name. */
    public String createBucket(String name) {
        store.createContainer(name);
        return name;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
    }

    /**
     * Runs a server until the process is stopped, for scripts (the conformance run on S3): {@code S3Server DIR ENV}
     * keeps objects below {@code DIR}, creates the bucket {@code wharf}, and writes shell assignments of
     * {@code S3_ENDPOINT}, {@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}, {@code S3_BUCKET} and {@code S3_REGION} to
     * {@code ENV} once it serves.
     */
    public static void main(String[] args) throws Exception {
        S3Server server = start(Path.of(args[0]));
        String bucket = server.createBucket("wharf");
        Path env = Path.of(args[1]);
        Path tmp = env.resolveSibling(env.getFileName() + ".tmp");
        Files.writeString(tmp, "S3_ENDPOINT=" + server.endpoint() + "\nS3_ACCESS_KEY=" + server.accessKey()
                + "\nS3_SECRET_KEY=" + server.secretKey() + "\nS3_BUCKET=" + bucket + "\nS3_REGION=" + REGION + "\n");
        Files.move(tmp, env, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
