package io.wharf.lifecycle.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry server process (Wharf's {@code serve} or Distribution's {@code docker-registry serve})
 * over a data directory, with a generated config.yml, stopped with SIGTERM on close.
 */
final class ServedRegistry implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    final Path config;

    private ServedRegistry(Process process, int port, Path log, Path config) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.config = config;
    }

    /** Writes a config.yml for the root on a free port. */
    static Path config(Path workDir, Path root, int port) throws IOException {
        Path config = workDir.resolve("config-" + port + ".yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root.toAbsolutePath(), port));
        return config;
    }

    static ServedRegistry wharf(Path workDir, Path root) throws Exception {
        return start(workDir, root, port -> Programs.wharf("serve", config(workDir, root, port).toString()));
    }

    static ServedRegistry distribution(Path workDir, Path root) throws Exception {
        return start(workDir, root, port -> List.of("docker-registry", "serve", config(workDir, root, port).toString()));
    }

    @FunctionalInterface
    private interface CommandFor {
        List<String> command(int port) throws IOException;
    }

    private static ServedRegistry start(Path workDir, Path root, CommandFor commandFor) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(commandFor.command(port));
        Path log = workDir.resolve("server-" + port + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServedRegistry server = new ServedRegistry(p, port, log, workDir.resolve("config-" + port + ".yml"));
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private void awaitReady(Duration limit) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet: wait for the process a little (returns early if it exits), then poll again.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("server not ready within " + limit + ": " + Files.readString(log));
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
