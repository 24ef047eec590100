package io.wharf.storage.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Directories a {@link FilesystemDriver#writer writer} created whose entry in their parent is not synced yet.
 *
 * <p>Why: nothing a writer writes is durable before {@code commit}, and most writers that create their own
 * directory are upload sessions, which are never committed there (their last chunk is moved out, then the
 * directory is deleted). Syncing the parent on creation and again on deletion cost two of the nine syncs of a
 * small blob push. So only the writer's own directory is deferred (every directory above it is synced when made),
 * and whatever later needs it durable settles it first: a commit in it, a replacing write or move into it, or a
 * new directory beneath it. A deferred directory that is deleted needs no sync of its parent either: its creation
 * was never promised, so it may come back after a crash as an empty upload the purger removes.
 *
 * <p>Bounded: past {@value #LIMIT} entries nothing more is deferred, so sessions deleted by another process
 * (whose entries stay here) cost at most that much memory. Per process: another instance on a shared directory
 * does not see these entries and syncs as it would anyway.
 */
final class UnsyncedDirectories {
    static final int LIMIT = 10_000;

    private final Set<Path> directories = ConcurrentHashMap.newKeySet();

    /** Records a directory just created; false when it must be synced at once (the set is full). */
    boolean defer(Path dir) {
        return directories.size() < LIMIT && directories.add(dir);
    }

    /** Takes back {@link #defer} when the directory could not be made ({@code recorded}: what defer answered). */
    void undefer(Path dir, boolean recorded) {
        if (recorded) {
            directories.remove(dir);
        }
    }

    /** Makes the directory's entry in its parent durable if it was deferred. */
    void settle(Path dir) throws IOException {
        if (!directories.isEmpty() && directories.remove(dir)) {
            FilesystemDriver.fsyncDirectory(dir.getParent());
        }
    }

    /**
     * Forgets a directory about to be deleted and any deferred one beneath it.
     *
     * @return whether the directory itself was deferred, so that its removal needs no sync of its parent
     */
    boolean forget(Path dir) {
        if (directories.isEmpty()) {
            return false;
        }
        if (directories.remove(dir)) {
            return true; // deferred directories are never nested: one beneath it would have settled it
        }
        directories.removeIf(d -> d.startsWith(dir));
        return false;
    }
}
