package io.wharf.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.storage.StorageDriver;
import io.wharf.storage.StorageDriverContract;

class InMemoryDriverTest extends StorageDriverContract {
    private InMemoryDriver memory;

    @Override
    protected StorageDriver newDriver() {
        memory = new InMemoryDriver();
        return memory;
    }

    /** Files live in the heap, and 16 MiB already crosses every buffer-growth step of the writer. */
    @Override
    protected long largeFileSize() {
        return 16L * 1024 * 1024;
    }

    @Override
    protected void assertNothingLeftBehind() {
        assertThat(memory.fileCount()).isZero();
    }
}
