package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log.formatter: json} and {@code logstash} on a real server process: every line is one JSON object with the
 * configured {@code log.fields}, access lines carry the request id the client got, and a password a client sent
 * appears in no line.
 */
class LogFormatTest {
    private static final String PASSWORD = "s3cret-Passw0rd-never-logged";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"json", "logstash"})
    void everyLineIsJsonWithTheFieldsAndTheRequestId(String formatter) throws Exception {
        int port = RegistryProcess.freeLoopbackPort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                  formatter: %s
                  fields:
                    service: registry
                    environment: test
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(formatter, dir.resolve("data"), port));
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(RegistryProcess.wharfCommand("serve", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<Void> first = awaitServing(client, base, process, log);
            String id = first.headers().firstValue("X-Request-Id").orElseThrow();
            String basic = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            client.send(HttpRequest.newBuilder(base.resolve("/v2/_catalog?password=" + PASSWORD))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.discarding());
            List<JsonNode> lines = awaitLineWith(log, id);
            for (JsonNode line : lines) {
                assertThat(line.path("service").asText()).as("line %s", line).isEqualTo("registry");
                assertThat(line.path("environment").asText()).isEqualTo("test");
                assertThat(line.has(formatter.equals("json") ? "msg" : "message")).as("line %s", line).isTrue();
                assertThat(line.has(formatter.equals("json") ? "time" : "@timestamp")).isTrue();
            }
            // Distribution's JSON lines name levels as logrus does; Logstash's event keeps Logback's names.
            assertThat(lines).extracting(l -> l.path("level").asText()).contains(formatter.equals("json")
                    ? "info" : "INFO").allMatch(level -> formatter.equals("json")
                    ? level.matches("error|warning|info|debug|trace") : level.matches("ERROR|WARN|INFO|DEBUG|TRACE"));
            assertThat(Files.readString(log)).doesNotContain(PASSWORD).doesNotContain(basic);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<Void> awaitServing(HttpClient client, URI base, Process process, Path log)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("server running: %s", Files.readString(log)).isTrue();
            try {
                return client.send(HttpRequest.newBuilder(base.resolve("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("not serving: " + Files.readString(log));
    }

    /** The log's JSON lines once one of them carries the request id (access lines follow the response). */
    private List<JsonNode> awaitLineWith(Path log, String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            List<JsonNode> lines = new ArrayList<>();
            boolean found = false;
            for (String text : Files.readAllLines(log)) {
                if (!text.startsWith("{")) {
                    // The JVM's own warnings (before logging starts) are not the registry's lines.
                    assertThat(text).doesNotContain("wharf").doesNotContain("INFO");
                    continue;
                }
                JsonNode line = json.readTree(text);
                lines.add(line);
                found |= id.equals(line.path("request.id").asText());
            }
            if (found) {
                return lines;
            }
            assertThat(Instant.now()).as("an access line with request id %s in %s", id, lines).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
