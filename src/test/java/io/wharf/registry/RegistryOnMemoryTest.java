package io.wharf.registry;

import io.wharf.storage.StorageDriver;
import io.wharf.storage.memory.InMemoryDriver;

class RegistryOnMemoryTest extends RegistryContract {
    @Override
    protected StorageDriver newDriver() {
        return new InMemoryDriver();
    }
}
