package io.wharf.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For in-process HTTP tests: a fresh {@link TestRegistry} {@link #r} over a temporary {@link #root} for every test,
 * closed after it, in every cell of the {@link Setup} matrix ({filesystem, inmemory} × {no auth, htpasswd, token}):
 * each test class runs once per cell. A subclass's own {@code @BeforeEach} runs after the server is up, its
 * {@code @AfterEach} before the server is closed.
 */
@ParameterizedClass(name = "[{0}]")
@MethodSource("io.wharf.http.Setup#all")
abstract class RunningRegistryTest {
    @Parameter
    Setup setup;
    @TempDir
    Path root;
    @TempDir
    Path authFiles;
    TestRegistry r;

    @BeforeEach
    final void startRegistry() throws Exception {
        r = TestRegistry.start(root, setup, authFiles);
    }

    @AfterEach
    final void stopRegistry() throws Exception {
        r.close();
    }
}
