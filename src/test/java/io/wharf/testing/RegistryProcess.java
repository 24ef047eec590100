package io.wharf.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry server as a child process over a data directory: Wharf ({@code wharf serve}, started from
 * the test's own class path) or CNCF Distribution ({@code docker-registry serve}). Each gets a generated
 * config.yml (filesystem storage, deletes enabled, a free loopback port) and a log file in a work
 * directory; {@code start} returns once {@code GET /v2/} answers 200. {@link #close()} stops it with
 * SIGTERM; {@link #kill()} with SIGKILL, for crash tests.
 */
public final class RegistryProcess implements AutoCloseable {
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final int port;
    private final Path config;
    private final Path log;

    private RegistryProcess(String name, Process process, int port, Path config, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.config = config;
        this.log = log;
    }

    /** Starts Wharf storing under {@code root}, its config and log in {@code workDir}, and waits until it serves. */
    public static RegistryProcess wharf(Path root, Path workDir) throws IOException, InterruptedException {
        return wharf(root, workDir, "");
    }

    /** As {@link #wharf(Path, Path)}, with {@code httpKeys} (YAML lines indented by two) added to {@code http}. */
    public static RegistryProcess wharf(Path root, Path workDir, String httpKeys)
            throws IOException, InterruptedException {
        return start("wharf", root, workDir, config -> {
            try {
                Files.writeString(config, httpKeys, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return wharfCommand("serve", config.toString());
        });
    }

    /**
     * As {@link #wharf(Path, Path)}, with the JVM's heap options as the launcher sets them by default
     * ({@code -XX:+UseSerialGC -Xmx64m}), for tests of what the shipped heap withstands.
     */
    public static RegistryProcess wharfWithShippedHeap(Path root, Path workDir)
            throws IOException, InterruptedException {
        return start("wharf", root, workDir, config -> {
            List<String> cmd = wharfCommand("serve", config.toString());
            cmd.set(cmd.indexOf("-Xmx512m"), "-Xmx64m");
            cmd.add(1, "-XX:+UseSerialGC");
            return cmd;
        });
    }

    /** As {@link #wharf}, for Distribution's {@code docker-registry}; skipped or failed when it is not installed. */
    public static RegistryProcess distribution(Path root, Path workDir) throws IOException, InterruptedException {
        return distribution(root, workDir, "");
    }

    /** As {@link #distribution(Path, Path)}, with {@code httpKeys} added to {@code http} as for {@link #wharf}. */
    public static RegistryProcess distribution(Path root, Path workDir, String httpKeys)
            throws IOException, InterruptedException {
        Path binary = ExternalTool.DOCKER_REGISTRY.require();
        return start("docker-registry", root, workDir, config -> {
            try {
                Files.writeString(config, httpKeys, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return List.of(binary.toString(), "serve", config.toString());
        });
    }

    /** A port free on the loopback interface now, for a second listener. */
    public static int freeLoopbackPort() throws IOException {
        return freePort();
    }

    /** {@code java -cp <test class path> io.wharf.server.Main args...}: the Wharf CLI as its own process. */
    public static List<String> wharfCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.wharf.server.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Writes {@code config-<port>.yml} into {@code workDir}: filesystem storage under {@code root} with
     * deletes enabled, listening on {@code 127.0.0.1:<port>}, warnings only and no access log. Both Wharf
     * and Distribution read it.
     */
    public static Path writeConfig(Path workDir, Path root, int port) throws IOException {
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

    @FunctionalInterface
    private interface CommandFor {
        List<String> command(Path config);
    }

    private static RegistryProcess start(String name, Path root, Path workDir, CommandFor commandFor)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = freePort();
        Path config = writeConfig(workDir, root, port);
        Path log = workDir.resolve("server-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(commandFor.command(config))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Both servers overlay REGISTRY_* variables on their config; keep the caller's out of it.
        pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
        RegistryProcess server = new RegistryProcess(name, pb.start(), port, config, log);
        try {
            server.awaitReady();
        } catch (RuntimeException | Error | InterruptedException | IOException e) {
            server.kill();
            throw e;
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code GET /v2/} until it answers 200, for at most {@link #READY_LIMIT}, or the process exits. */
    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        String last = "no attempt";
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " did not start: " + describe());
                }
                try {
                    int status = client.send(HttpRequest.newBuilder(base().resolve("/v2/"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200) {
                        return;
                    }
                    last = "status " + status;
                } catch (IOException notYet) {
                    last = notYet.toString();
                }
                // Wait for the process a little (returns early if it exits), then poll again.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException(name + " not ready within " + READY_LIMIT + " (" + last + "): " + describe());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI base() {
        return URI.create("http://" + hostPort());
    }

    /** {@code 127.0.0.1:<port>}, as clients name the registry. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The config file the server was started with. */
    public Path config() {
        return config;
    }

    /** The process state and its log, for assertion messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        try {
            return name + " " + state + "; log:\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return name + " " + state + "; log unreadable: " + e;
        }
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to end.
     *
     * @return its exit code, or empty when it is still running after {@code limit}
     */
    public java.util.OptionalInt awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    /** SIGKILL: no shutdown hook, no flush. Waits for the process to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the process with SIGTERM (SIGKILL after 30 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
    }
}
