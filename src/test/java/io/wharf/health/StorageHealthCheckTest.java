package io.wharf.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.storage.fs.FilesystemDriver;
import io.wharf.testing.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage check against a real filesystem that loses its root, and one that is full. */
class StorageHealthCheckTest {
    @TempDir
    Path dir;

    @Test
    void aRootReplacedByAnEmptyDirectoryFailsAndIsNotFilledAgain() throws Exception {
        Path root = dir.resolve("data");
        FilesystemDriver driver = new FilesystemDriver(root);
        StorageHealthCheck check = new StorageHealthCheck(driver, "host-5000", true, Clock.systemUTC());
        check.check();
        assertThat(root.resolve("_wharf/health/host-5000")).exists();

        // An unmounted volume: the mount point is still there, empty.
        Files.move(root, dir.resolve("elsewhere"));
        Files.createDirectory(root);
        assertThatThrownBy(check::check).hasMessageContaining("lost the files this instance wrote");
        try (var left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
        Files.delete(root);
        Files.move(dir.resolve("elsewhere"), root);
        check.check();
    }

    @Test
    void aFullDiskFailsTheCheckThoughReadsStillWork() throws Exception {
        try (Tmpfs small = Tmpfs.mount(dir.resolve("small"), "256k")) {
            Path mount = small.path();
            FilesystemDriver driver = new FilesystemDriver(mount.resolve("data"));
            StorageHealthCheck check = new StorageHealthCheck(driver, "host-5000", true, Clock.systemUTC());
            check.check();
            // Fill the disk to its last block, as a runaway log or a huge upload does.
            Path filler = mount.resolve("filler");
            try (var out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // No space left on device.
            }
            driver.stat("/");
            assertThatThrownBy(check::check).isInstanceOf(IOException.class);
            Files.delete(filler);
            check.check();
        }
    }
}
