package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.RepositoryName;
import io.wharf.storage.fs.FilesystemDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RepositoryIndex#scanStorage} walks the layout itself: what Distribution would list, nothing else. */
class RepositoryScanOfStorageTest {

    @TempDir
    Path root;

    @Test
    void findsNestedRepositories_andIgnoresWhatIsNoRepository() throws Exception {
        FilesystemDriver driver = new FilesystemDriver(root);
        byte[] link = "sha256:0000".getBytes(StandardCharsets.US_ASCII);
        String repos = StorageLayout.REPOSITORIES;
        driver.putContent(repos + "/a/_layers/sha256/00/link", link);
        driver.putContent(repos + "/a/b/_manifests/revisions/sha256/00/link", link);
        driver.putContent(repos + "/a/b/c/_manifests/tags/t/current/link", link);
        driver.putContent(repos + "/team/deep/down/app/_layers/sha256/01/link", link);
        // Not repositories: a directory with neither _layers nor _manifests, a stray file, anything below "_"
        // directories, and a name that is no valid repository name.
        driver.putContent(repos + "/empty/notes/readme", link);
        driver.putContent(repos + "/stray-file", link);
        driver.putContent(repos + "/a/_uploads/x/_layers/data", link);
        driver.putContent(repos + "/Upper/_layers/sha256/00/link", link);

        RepositoryIndex index = new RepositoryIndex(driver, Duration.ofMinutes(1), Clock.systemUTC(), true,
                new LocalCoordination(Clock.systemUTC()));

        assertThat(index.scanStorage()).extracting(RepositoryName::value)
                .containsExactly("a", "a/b", "a/b/c", "team/deep/down/app");
    }

    @Test
    void noRepositoriesDirectory_isAnEmptyList() throws Exception {
        RepositoryIndex index = new RepositoryIndex(new FilesystemDriver(root), Duration.ofMinutes(1),
                Clock.systemUTC(), true, new LocalCoordination(Clock.systemUTC()));

        assertThat(index.scanStorage()).isEmpty();
    }
}
