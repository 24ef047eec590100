package io.wharf.registry;

import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RegistryOnFilesystemTest extends RegistryContract {
    @TempDir
    Path dataDirectory;

    @Override
    protected StorageDriver newDriver() throws IOException {
        return new FilesystemDriver(dataDirectory);
    }
}
