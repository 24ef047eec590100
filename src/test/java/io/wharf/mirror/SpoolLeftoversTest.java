package io.wharf.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror stopped in the middle of a fetch leaves its spool file behind; the next start removes such files, but not
 * one another process on the machine is still writing (changed recently), nor files that are not spool files.
 */
class SpoolLeftoversTest {
    @TempDir
    Path spool;

    @Test
    void filesLeftByAnEarlierProcessAreRemoved_runningOnesAndOthersStay() throws Exception {
        Path left = Files.writeString(spool.resolve("sha256-" + "a".repeat(64) + "-123"), "partial");
        Files.setLastModifiedTime(left, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path running = Files.writeString(spool.resolve("sha256-" + "b".repeat(64) + "-456"), "growing");
        Path other = Files.writeString(spool.resolve("notes.txt"), "not ours");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        int removed = BlobFetches.removeLeftovers(spool, Instant.now().minus(BlobFetches.LEFTOVER_AGE));

        assertThat(removed).isEqualTo(1);
        assertThat(left).doesNotExist();
        assertThat(running).exists();
        assertThat(other).exists();
    }
}
