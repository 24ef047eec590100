package io.wharf.lifecycle.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs external programs for the lifecycle end-to-end tests, and applies STYLE.md's rule for a
 * missing one: fail with an install hint under {@code CI=true}, skip with it elsewhere.
 */
final class Programs {
    /**
     * A finished run.
     *
     * @param exit the exit status
     * @param output stdout and stderr together
     */
    record Result(int exit, String output) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private Programs() {
    }

    /** Requires a program on PATH. */
    static void require(String program, String installHint) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, program));
        }
        String message = program + " is not installed; install it with: " + installHint;
        if (!found && "true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(found, message);
    }

    /** Runs a command to completion (bounded at five minutes), capturing its output. */
    static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "run-", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** {@code java -cp <test class path> io.wharf.server.Main args...}: the Wharf CLI as its own process. */
    static List<String> wharf(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.wharf.server.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code skopeo --insecure-policy args...}. */
    static List<String> skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
