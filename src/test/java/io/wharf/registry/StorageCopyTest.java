package io.wharf.registry;

import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.spec.DigestReference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.fs.FilesystemDriver;
import io.wharf.storage.memory.InMemoryDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore's copy: consistent, verified, incremental, mirroring deletes only when asked. */
class StorageCopyTest {
    @TempDir
    Path source;
    @TempDir
    Path backup;
    private StoreFixture store;
    private final RepositoryName app = repo("team/app");

    @BeforeEach
    void push() throws Exception {
        store = new StoreFixture(new FilesystemDriver(source), Clock.systemUTC());
        store.image(app, "v1", List.of(store.layer(app), store.layer(app)));
        store.image(app, "v2", List.of(store.layer(app)));
    }

    private Registry registryOver(Path dir) throws Exception {
        return new Registry(new FilesystemDriver(dir), Registry.RegistryOptions.defaults(), new ObjectMapper(),
                Clock.systemUTC());
    }

    @Test
    void backup_isADataDirectoryThatServesEveryTag_andScrubsClean() throws Exception {
        var result = new StorageCopy(store.driver, new FilesystemDriver(backup)).run(true);

        assertThat(result.problems()).isEmpty();
        assertThat(result.blobsCopied()).isEqualTo(7); // 3 layers, 2 configs, 2 manifests
        Registry copy = registryOver(backup);
        for (String tag : List.of("v1", "v2")) {
            StoredManifest original = store.registry.manifests().get(app, new Tag(tag));
            StoredManifest copied = copy.manifests().get(app, new Tag(tag));
            assertThat(copied.digest()).isEqualTo(original.digest());
            assertThat(copied.payload()).isEqualTo(original.payload());
        }
        assertThat(new Scrubber(copy).scrub(false).clean()).isTrue();
    }

    @Test
    void secondBackup_copiesOnlyWhatIsNew_andMirrorsDeletedTags() throws Exception {
        new StorageCopy(store.driver, new FilesystemDriver(backup)).run(true);
        store.image(app, "v3", List.of(store.layer(app)));
        store.registry.manifests().deleteTag(app, new Tag("v1"));

        var second = new StorageCopy(store.driver, new FilesystemDriver(backup)).run(true);

        assertThat(second.blobsCopied()).isEqualTo(3);
        assertThat(second.blobsAlreadyThere()).isEqualTo(7);
        assertThat(second.linksRemoved()).isPositive();
        Registry copy = registryOver(backup);
        assertThat(copy.listings().tags(app)).containsExactly("v2", "v3");
    }

    @Test
    void restore_intoAnotherDriver_addsWithoutRemoving_andTheContentIsServed() throws Exception {
        new StorageCopy(store.driver, new FilesystemDriver(backup)).run(true);
        InMemoryDriver target = new InMemoryDriver();
        StoreFixture existing = new StoreFixture(target, Clock.systemUTC());
        existing.image(repo("other/thing"), "keep", List.of(existing.layer(repo("other/thing"))));

        var result = new StorageCopy(new FilesystemDriver(backup), target).run(false);

        assertThat(result.problems()).isEmpty();
        Registry restored = new Registry(target, Registry.RegistryOptions.defaults(), new ObjectMapper(),
                Clock.systemUTC());
        assertThat(restored.listings().tags(app)).containsExactly("v1", "v2");
        assertThat(restored.listings().tags(repo("other/thing"))).containsExactly("keep");
        assertThat(new Scrubber(restored).scrub(false).clean()).isTrue();
    }

    @Test
    void aSourceBlobThatDoesNotMatchItsDigest_isNeverCopiedToItsAddress() throws Exception {
        StoredManifest v2 = store.registry.manifests().get(app, new Tag("v2"));
        var layer = v2.manifest().layers().get(0).digest();
        Files.writeString(source.resolve(StorageLayout.blobData(layer).substring(1)), "rotten");

        var result = new StorageCopy(store.driver, new FilesystemDriver(backup)).run(true);

        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains(layer.toString()));
        assertThat(Files.exists(backup.resolve(StorageLayout.blobData(layer).substring(1)))).isFalse();
        assertThat(registryOver(backup).manifests().get(app, new DigestReference(v2.digest())).digest())
                .isEqualTo(v2.digest());
    }

    @Test
    void garbageCollection_waitsWhileACopyHoldsTheStorage() throws Exception {
        StorageLease lease = new StorageLease(store.driver, new ObjectMapper(), Clock.systemUTC());
        lease.holdCopy("wharf backup pid 1", Duration.ofMinutes(10));
        GarbageCollector gc = new GarbageCollector(store.registry, new GcMetrics(new SimpleMeterRegistry()));

        assertThatThrownBy(() -> gc.run(GcOptions.offline(false, false))).isInstanceOf(GarbageCollector.BusyException.class)
                .hasMessageContaining("backup");
        lease.releaseCopy();
        assertThat(gc.run(GcOptions.offline(false, false)).summary()).isNotBlank();
    }
}
