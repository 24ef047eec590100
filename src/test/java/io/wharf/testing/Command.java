package io.wharf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external program to completion with a timeout, capturing its output. */
public final class Command {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private final List<String> argv = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Command(List<String> argv) {
        this.argv.addAll(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    public Command env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    public Command timeout(Duration value) {
        timeout = value;
        return this;
    }

    /** The result of one run. */
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** A description for assertion messages: the command, its exit code and both outputs. */
        public String describe() {
            return String.join(" ", argv) + "\nexit code " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }

        /** stdout followed by stderr, for programs that report on either. */
        public String output() {
            return stdout + stderr;
        }
    }

    /** Runs the command; a timeout kills the process tree and throws {@link AssertionError}. */
    public Result run() {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeout
                        + "\nstderr:\n" + err.completeOnTimeout("(unavailable)", 5, TimeUnit.SECONDS).join());
            }
            return new Result(List.copyOf(argv), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + argv, e);
        }
    }

    /** Runs the command and fails with its output unless it exits 0. */
    public Result check() {
        Result r = run();
        if (!r.ok()) {
            throw new AssertionError("command failed: " + r.describe());
        }
        return r;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
