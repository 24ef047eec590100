package io.wharf.storage.s3;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Part-sized arrays kept for the next writer. A chunked upload opens a writer per chunk, and each would otherwise
 * allocate a part (10 MiB by default) that becomes garbage when it closes; such arrays go straight to the old
 * generation, which then grows to the heap's limit between full collections. A few are kept: enough for the
 * writers that follow one another, few enough to cost little when idle. Thread-safe.
 */
final class PartPool {
    private final int partSize;
    private final ArrayBlockingQueue<byte[]> kept;

    PartPool(int partSize, int keep) {
        this.partSize = partSize;
        this.kept = new ArrayBlockingQueue<>(keep);
    }

    int partSize() {
        return partSize;
    }

    /** A part-sized array, kept or new; its content is undefined. */
    byte[] take() {
        byte[] array = kept.poll();
        return array != null ? array : new byte[partSize];
    }

    /** Keeps a part-sized array for a later {@link #take} when there is room; the caller must not use it again. */
    void give(byte[] array) {
        if (array.length == partSize) {
            kept.offer(array);
        }
    }
}
