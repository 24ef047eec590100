package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.testing.Await;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./wharf serve} on JDK 25 links the runtime the image ships once per JDK, trains the ahead-of-time cache once
 * per build and runtime, then starts with both: run from a copy of the launcher, its scripts and the built jar (so that
 * the checkout's own {@code target/} is left alone and nothing is rebuilt).
 */
@Tag("e2e")
class LauncherStartCacheTest {
    private static final Path JAR = Path.of("target/wharf.jar");

    @TempDir
    Path tmp;

    @Test
    void firstServeTrainsTheCacheAndLaterServesStartWithIt() throws Exception {
        requireJarAndJdk25();
        Path root = launcherCopy();
        Path config = RegistryProcess.writeConfig(tmp, tmp.resolve("data"), RegistryProcess.freeLoopbackPort());
        Served first = serveOnce(root, config, Map.of());
        assertThat(first.output()).contains("linking the Java runtime", "training the start-up cache");
        assertThat(first.java()).startsWith(root.resolve("target")).satisfies(java -> assertThat(
                java.getParent().getParent().getFileName().toString()).startsWith("wharf-runtime-"));
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wharf-serve-")))
                    .singleElement().asString().endsWith(".aot");
        }
        // The JVM's own account of the second start: the cache opened and its classes used (with AOTMode=on it
        // would refuse to start with a cache that does not match its runtime and jar).
        Path aotLog = tmp.resolve("aot.log");
        Served second = serveOnce(root, config, Map.of("JAVA_OPTS",
                "-XX:+UseSerialGC -Xmx64m -XX:AOTMode=on -Xlog:aot=info:file=" + aotLog));
        assertThat(second.output()).doesNotContain("training", "linking");
        assertThat(second.java()).isEqualTo(first.java());
        assertThat(aotLog).content().contains("Opened AOT cache").contains("Using AOT-linked classes: true");

        // A new build: the cache of the old one is stale (the JVM would not use it), so it is trained again; the
        // runtime belongs to the JDK, not to the build, so it stays.
        Path jar = root.resolve("target/wharf.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        Served third = serveOnce(root, config, Map.of());
        assertThat(third.output()).contains("training the start-up cache").doesNotContain("linking");
        assertThat(third.java()).isEqualTo(first.java());
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("wharf-serve-")))
                    .singleElement().satisfies(cache -> assertThat(Files.getLastModifiedTime(cache))
                            .isGreaterThan(Files.getLastModifiedTime(jar)));
        }
    }

    @Test
    void onTheJdkWhenAskedOrWhenTheRuntimeCannotBeLinked() throws Exception {
        requireJarAndJdk25();
        Path jdkJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Path root = launcherCopy();
        Path config = RegistryProcess.writeConfig(tmp, tmp.resolve("data"), RegistryProcess.freeLoopbackPort());
        Served asked = serveOnce(root, config, Map.of("WHARF_RUNTIME", "jdk"));
        assertThat(asked.output()).contains("training the start-up cache").doesNotContain("linking");
        assertThat(asked.java()).isEqualTo(jdkJava);

        // A JDK that jlink cannot cut down (here: a linking script that fails) still serves, and is not retried.
        Files.writeString(root.resolve("packaging/runtime.sh"), "#!/bin/sh\nexit 1\n");
        Served failed = serveOnce(root, config, Map.of());
        assertThat(failed.output()).contains("linking failed; serving on the full JDK");
        assertThat(failed.java()).isEqualTo(jdkJava);
        Served again = serveOnce(root, config, Map.of());
        assertThat(again.output()).doesNotContain("linking", "training");
        assertThat(again.java()).isEqualTo(jdkJava);
    }

    /** Skips (fails under CI) without a built jar; skips on a JDK before 25, where the launcher does neither. */
    private static void requireJarAndJdk25() {
        if (!Files.exists(JAR)) {
            ExternalTool.skipOrFail(System.getenv(), "no " + JAR + ": build it with mvn -B -DskipTests package");
        }
        Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the launcher links a runtime and trains a cache with JDK 25 or newer");
    }

    /** What one {@code ./wharf serve} wrote, and the java executable its server process ran. */
    private record Served(String output, Path java) {
    }

    /** The launcher and what it runs, in a directory of their own; the sources older than the jar. */
    private Path launcherCopy() throws IOException {
        Path root = tmp.resolve("checkout");
        for (String file : List.of("wharf", "scripts/find-jdk.sh", "packaging/aot-train.sh", "packaging/runtime.sh")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(Path.of(file), root.resolve(file));
            Files.setPosixFilePermissions(root.resolve(file), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "");
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
        Files.setLastModifiedTime(root.resolve("src/main"), old);
        Files.setLastModifiedTime(root.resolve("pom.xml"), old);
        Files.createDirectories(root.resolve("target"));
        Files.copy(JAR, root.resolve("target/wharf.jar"));
        return root;
    }

    /** Starts {@code ./wharf serve}, waits until it answers, stops it with SIGTERM. */
    private Served serveOnce(Path root, Path config, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(tmp, "serve", ".log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("wharf").toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process server = pb.start();
        Path java;
        String port = Files.readString(config).replaceAll("(?s).*addr: 127\\.0\\.0\\.1:(\\d+).*", "$1");
        try {
            Await.serving(URI.create("http://127.0.0.1:" + port + "/v2/"), Duration.ofMinutes(2), "serving",
                    () -> assertThat(server.isAlive()).as("./wharf serve exited: %s", read(log)).isTrue());
            // The launcher execs the JVM: were the training lock still open, the next start would wait for this
            // server to stop.
            assertThat(openFiles(server.pid())).noneMatch(f -> f.endsWith("wharf-serve.aot.lock"));
            java = Files.readSymbolicLink(Path.of("/proc", Long.toString(server.pid()), "exe"));
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        return new Served(read(log), java);
    }

    private static List<String> openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed since the listing
                }
            }).toList();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
