package io.wharf.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * CNCF Distribution ({@code docker-registry serve}) as a child process over a data directory, on a
 * free loopback port, with deletes enabled. Its output goes to a log file quoted in failures.
 */
final class DistributionProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final RegistryEndpoint endpoint;

    private DistributionProcess(Process process, Path log, RegistryEndpoint endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /** Starts Distribution storing under {@code root}, its config and log in {@code workDir}, and waits until it serves. */
    static DistributionProcess start(Path root, Path workDir) throws IOException, InterruptedException {
        Path binary = ExternalTool.DOCKER_REGISTRY.require();
        Files.createDirectories(workDir);
        int port = RegistryEndpoint.freePort();
        Path config = workDir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root.toAbsolutePath(), port));
        Path log = workDir.resolve("docker-registry.log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Distribution overlays REGISTRY_* variables on its config; keep the caller's out of it.
        pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
        DistributionProcess d = new DistributionProcess(pb.start(), log, new RegistryEndpoint("127.0.0.1:" + port));
        try {
            d.endpoint.awaitReady(Duration.ofSeconds(30), d::describe);
        } catch (RuntimeException | Error | InterruptedException e) {
            d.close();
            throw e;
        }
        return d;
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** The process state and its log, for assertion messages. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        try {
            return "docker-registry " + state + "; log:\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "docker-registry " + state + "; log unreadable: " + e;
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
