package io.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolTest {
    static final ExternalTool TOOL = new ExternalTool("wharf-no-such-tool", "wharf-pkg");

    @TempDir
    Path dir;

    @Test
    void missingTool_underCi_failsSayingHowToInstall() {
        assertThatThrownBy(() -> TOOL.require(Map.of("PATH", dir.toString(), "CI", "true")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("install it: apt-get install -y wharf-pkg");
    }

    @Test
    void missingTool_outsideCi_skipsSayingHowToInstall() {
        assertThatThrownBy(() -> TOOL.require(Map.of("PATH", dir.toString())))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("install it: apt-get install -y wharf-pkg");
    }

    @Test
    void executableOnPath_isFound() throws Exception {
        Path program = Files.createFile(dir.resolve("wharf-no-such-tool"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(TOOL.require(Map.of("PATH", "/nonexistent:" + dir, "CI", "true"))).isEqualTo(program);
    }
}
