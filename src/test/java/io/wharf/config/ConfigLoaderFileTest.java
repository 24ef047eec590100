package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFile_isAnErrorInTheResult() {
        ConfigResult result = ConfigLoader.loadFile(dir.resolve("absent.yml"), Map.of());

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).singleElement().asString().contains("absent.yml", "does not exist");
    }

    @Test
    void directoryInsteadOfFile_isAnErrorInTheResult() {
        assertThat(ConfigLoader.loadFile(dir, Map.of()).errors()).singleElement().asString()
                .contains("cannot read the configuration file");
    }

    @Test
    void existingFile_isLoadedWithItsNameInMessages() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yml"), "version: 0.1\nstorage: inmemory\nbogus: 1\n");

        ConfigResult result = ConfigLoader.loadFile(file, Map.of("REGISTRY_HTTP_ADDR", ":7000"));

        assertThat(result.config().http().addr()).isEqualTo(":7000");
        assertThat(result.warnings()).singleElement().asString().contains(file + " line 3");
    }

    @Test
    void noFile_givesTheDefaultsWithOverrides() {
        ConfigResult result = ConfigLoader.loadFile(null, Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true"));

        assertThat(result.config().storage().deleteEnabled()).isTrue();
        assertThat(result.config().http()).isEqualTo(RegistryConfig.defaults().http());
    }

    @Test
    void result_withErrorsHasNoConfig() {
        ConfigResult result = ConfigLoader.load("version: 0.1\n", "c.yml", Map.of());

        assertThat(result.valid()).isFalse();
        assertThat(result.config()).isNull();
    }
}
