package io.wharf.storage;

import java.io.IOException;

/** Receives entries from {@link StorageDriver#walk}. */
@FunctionalInterface
public interface WalkVisitor {
    /** What to do after visiting an entry. */
    enum Next { CONTINUE, SKIP_SUBTREE, STOP }

    /**
     * Visits one entry; returning {@link Next#SKIP_SUBTREE} for a directory skips its children, and
     * for a file means the same as {@link Next#CONTINUE}.
     */
    Next visit(FileInfo info) throws IOException;
}
