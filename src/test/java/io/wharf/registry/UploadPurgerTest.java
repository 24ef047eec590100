package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.memory.InMemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UploadPurgerTest {
    private final InMemoryDriver driver = new InMemoryDriver();

    private Registry registryAt(Instant now) {
        return new Registry(driver, Registry.RegistryOptions.defaults(), new ObjectMapper(),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void purge_removesOnlyUploadsStartedBeforeTheCutoff() throws Exception {
        RepositoryName repo = RepositoryName.parse("team/app");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String old = registryAt(t0).uploads().start(repo).id();
        String fresh = registryAt(t0.plusSeconds(7200)).uploads().start(repo).id();

        var purged = new UploadPurger(driver).purge(t0.plusSeconds(3600), false);

        assertThat(purged).containsExactly(StorageLayout.uploadDir(repo, old));
        Registry later = registryAt(t0.plusSeconds(7300));
        assertThat(later.uploads().status(repo, fresh).size()).isZero();
        assertThat(driver.list(StorageLayout.uploadsDir(repo))).containsExactly(StorageLayout.uploadDir(repo, fresh));
    }

    @Test
    void purge_dryRunReportsButKeeps() throws Exception {
        RepositoryName repo = RepositoryName.parse("app");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String id = registryAt(t0).uploads().start(repo).id();

        var purged = new UploadPurger(driver).purge(t0.plusSeconds(1), true);

        assertThat(purged).containsExactly(StorageLayout.uploadDir(repo, id));
        assertThat(driver.list(StorageLayout.uploadsDir(repo))).hasSize(1);
    }

    @Test
    void purge_readsDistributionsRfc3339StartTimes() throws Exception {
        RepositoryName repo = RepositoryName.parse("legacy");
        String dir = StorageLayout.uploadDir(repo, "0b6f7e9c-3c1f-4a57-9d5b-8f2c1e4d6a70");
        driver.putContent(dir + "/startedat", "2020-05-06T07:08:09Z".getBytes(StandardCharsets.UTF_8));
        driver.putContent(dir + "/data", new byte[3]);

        assertThat(new UploadPurger(driver).purge(Instant.parse("2021-01-01T00:00:00Z"), false)).containsExactly(dir);
        assertThat(new UploadPurger(driver).purge(Instant.parse("2021-01-01T00:00:00Z"), false)).isEmpty();
    }
}
