package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wharf.config.RegistryConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The access log writes each request once, with the status the client got. */
class AccessLogTest {
    @TempDir
    Path root;

    @Test
    void eachRequest_isLoggedOnce_withTheStatusTheClientGot() throws Exception {
        Logger requestLog = (Logger) LoggerFactory.getLogger("org.eclipse.jetty.server.RequestLog");
        ListAppender<ILoggingEvent> lines = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                // Logback reads the MDC lazily; read it on the logging thread, where the request id is.
                e.prepareForDeferredProcessing();
                super.append(e);
            }
        };
        lines.start();
        requestLog.addAppender(lines);
        ch.qos.logback.classic.Level before = requestLog.getLevel();
        requestLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try (TestRegistry r = TestRegistry.start(root, c -> new RegistryConfig(
                new RegistryConfig.Log("info", "text", java.util.Map.of(), false), c.storage(), c.http(), c.catalog(),
                c.validation()))) {
            int first = r.get("/v2/").statusCode();
            int second = r.get("/v2/no/such/manifests/x").statusCode();
            awaitLines(lines, 2);
            List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0)).contains("\"GET /v2/ HTTP/1.1\" " + first + " ");
            assertThat(logged.get(1)).contains("\"GET /v2/no/such/manifests/x HTTP/1.1\" " + second + " ");
            // Each access line carries the id the client got in X-Request-Id.
            String id = r.get("/v2/").headers().firstValue("X-Request-Id").orElseThrow();
            awaitLines(lines, 3);
            assertThat(lines.list.get(2).getMDCPropertyMap()).containsEntry("request.id", id);
            // A credential in a URL does not reach the log.
            r.get("/v2/?access_token=s3cr3t-value");
            awaitLines(lines, 4);
            assertThat(lines.list.get(3).getFormattedMessage())
                    .contains("\"GET /v2/?access_token=[redacted] HTTP/1.1\"").doesNotContain("s3cr3t");
        } finally {
            requestLog.detachAppender(lines);
            requestLog.setLevel(before);
        }
    }

    /** The request log is written when the response completes, just after the client has it. */
    private static void awaitLines(ListAppender<ILoggingEvent> lines, int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines.list.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
