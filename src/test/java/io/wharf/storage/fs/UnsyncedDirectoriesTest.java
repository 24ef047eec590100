package io.wharf.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnsyncedDirectoriesTest {
    @TempDir
    Path temp;

    private final UnsyncedDirectories unsynced = new UnsyncedDirectories();

    @Test
    void aDeferredDirectoryDeletedUnsettled_needsNoSyncOfItsParent() throws IOException {
        Path upload = Files.createDirectories(temp.resolve("_uploads/u1"));
        assertThat(unsynced.defer(upload)).isTrue();

        assertThat(unsynced.forget(upload)).isTrue();
        assertThat(unsynced.forget(upload)).as("forgotten once").isFalse();
    }

    @Test
    void aSettledDirectory_isNoLongerDeferred() throws IOException {
        Path upload = Files.createDirectories(temp.resolve("_uploads/u1"));
        unsynced.defer(upload);

        unsynced.settle(upload);

        assertThat(unsynced.forget(upload)).isFalse();
    }

    @Test
    void deletingAnAncestor_forgetsTheDeferredDirectoriesBeneathIt() throws IOException {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        Path upload = Files.createDirectories(repo.resolve("_uploads/u1"));
        Path other = Files.createDirectories(temp.resolve("other/_uploads/u2"));
        unsynced.defer(upload);
        unsynced.defer(other);

        assertThat(unsynced.forget(repo)).as("the ancestor itself was synced when made").isFalse();

        assertThat(unsynced.forget(upload)).isFalse();
        assertThat(unsynced.forget(other)).isTrue();
    }

    @Test
    void pastTheLimit_directoriesAreSyncedAtOnce() {
        for (int i = 0; i < UnsyncedDirectories.LIMIT; i++) {
            assertThat(unsynced.defer(temp.resolve("u" + i))).isTrue();
        }

        assertThat(unsynced.defer(temp.resolve("one-more"))).isFalse();
        unsynced.undefer(temp.resolve("u0"), true);
        assertThat(unsynced.defer(temp.resolve("one-more"))).isTrue();
    }
}
