package io.wharf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * An external program an end-to-end test drives, found on {@code PATH}. When it is missing the test
 * fails under CI ({@code CI=true}) and is skipped elsewhere, both with a message saying how to install it.
 */
public record ExternalTool(String program, String debianPackage) {
    public static final ExternalTool SKOPEO = new ExternalTool("skopeo", "skopeo");
    public static final ExternalTool PODMAN = new ExternalTool("podman", "podman");
    public static final ExternalTool DOCKER_REGISTRY = new ExternalTool("docker-registry", "docker-registry");
    public static final ExternalTool REDIS_SERVER = new ExternalTool("redis-server", "redis-server");
    /** Runs linux/arm64 programs on this machine, for the arm64 image's tests. */
    public static final ExternalTool QEMU_AARCH64 = new ExternalTool("qemu-aarch64-static", "qemu-user-static");

    /**
     * The program's absolute path. Fails the test (CI) or aborts it (elsewhere) when it is not on PATH.
     */
    public Path require() {
        return require(System.getenv());
    }

    /** As {@link #require()}, with {@code PATH} and {@code CI} read from {@code env}. */
    Path require(Map<String, String> env) {
        Optional<Path> found = find(env.getOrDefault("PATH", ""));
        if (found.isPresent()) {
            return found.get();
        }
        skipOrFail(env, program + " is not on PATH; install it: apt-get install -y " + debianPackage);
        throw new AssertionError("unreachable");
    }

    /** The first executable called {@link #program} in the directories of {@code path}. */
    public Optional<Path> find(String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Fails under CI ({@code CI=true} in {@code env}) and skips elsewhere, with {@code message}. */
    public static void skipOrFail(Map<String, String> env, String message) {
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
            fail(message);
        }
        Assumptions.abort(message);
    }
}
