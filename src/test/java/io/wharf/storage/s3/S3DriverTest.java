package io.wharf.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.storage.StorageDriver;
import io.wharf.storage.StorageDriverContract;
import io.wharf.testing.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The driver contract against a real S3 server (S3Proxy on the local file system), with a root directory. */
class S3DriverTest extends StorageDriverContract {
    private static final String BUCKET = "wharf-contract";
    private static final String ROOT = "/registry/prefix";

    @TempDir
    static Path tempDir;
    private static S3Server server;
    private static S3Driver shared;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(tempDir);
        server.createBucket(BUCKET);
        shared = S3Driver.connect(connection(server), S3DriverOptions.defaults(BUCKET, ROOT));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (shared != null) {
            shared.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Static keys and an explicit region: nothing is read from the machine's AWS settings. */
    static S3Connection connection(S3Server server) {
        return new S3Connection(S3Server.REGION, server.endpoint().toString(), true, false, false,
                server.accessKey(), server.secretKey(), "wharf-test", S3Connection.DEFAULT_MAX_CONNECTIONS);
    }

    @Override
    protected StorageDriver newDriver() {
        return shared;
    }

    /** No multipart upload may outlive the test: every writer completes or aborts its own. */
    @Override
    protected void assertNothingLeftBehind() {
        try (var client = connection(server).client()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        }
    }
}
