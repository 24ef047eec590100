package io.wharf.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For in-process HTTP tests against the default configuration: a fresh {@link TestRegistry} {@link #r}
 * over a temporary {@link #root} for every test, closed after it. A subclass's own {@code @BeforeEach}
 * runs after the server is up, its {@code @AfterEach} before the server is closed.
 */
abstract class RunningRegistryTest {
    @TempDir
    Path root;
    TestRegistry r;

    @BeforeEach
    final void startRegistry() throws Exception {
        r = TestRegistry.start(root);
    }

    @AfterEach
    final void stopRegistry() throws Exception {
        r.close();
    }
}
