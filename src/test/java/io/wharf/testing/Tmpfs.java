package io.wharf.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to run out of space on a real filesystem; unmounted on close. Where mounting
 * is not allowed (not root) the test fails under CI, which runs as root, and is skipped elsewhere.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mount;

    private Tmpfs(Path mount) {
        this.mount = mount;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) takes it: {@code 2m}) at {@code mount}, creating the directory. */
    public static Tmpfs mount(Path mount, String size) throws IOException, InterruptedException {
        Files.createDirectories(mount);
        if (!run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())) {
            ExternalTool.skipOrFail(System.getenv(), "needs permission to mount a tmpfs (run as root)");
        }
        return new Tmpfs(mount);
    }

    public Path path() {
        return mount;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", mount.toString());
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
