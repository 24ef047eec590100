package io.wharf.registry;

import static io.wharf.registry.StoreFixture.list;
import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.registry.StoreFixture.Pushed;
import io.wharf.spec.DigestReference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mark-and-sweep on constructed stores, over every driver. */
class GarbageCollectorTest {
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    Path tmp;
    private MutableClock clock;
    private SimpleMeterRegistry meters;

    private StoreFixture store(String driver) throws Exception {
        StorageDriver d = driver.equals("filesystem") ? new FilesystemDriver(tmp) : new InMemoryDriver();
        clock = new MutableClock(Instant.now());
        meters = new SimpleMeterRegistry();
        return new StoreFixture(d, clock);
    }

    /** Runs a collection as if two hours had passed, so everything built so far is past the grace period. */
    private GcReport collectLater(StoreFixture s, boolean deleteUntagged, boolean dryRun) throws Exception {
        clock.advance(Duration.ofHours(2));
        return new GarbageCollector(s.registry, new GcMetrics(meters))
                .run(new GcOptions(dryRun, deleteUntagged, GRACE, List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void sharedLayersAcrossRepositories_stayWhileOneTaggedImageUsesThem(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("team/a");
        RepositoryName b = repo("team/b");
        Pushed l1 = s.layer(a);
        Pushed shared = s.layer(a);
        s.registry.repositoryBlobs().mount(b, a, shared.digest());
        Pushed l3 = s.layer(b);
        Pushed imageA = s.image(a, "v1", list(l1, shared));
        Pushed imageB = s.image(b, "v1", list(shared, l3));
        s.registry.manifests().deleteTag(b, new Tag("v1"));
        Pushed orphan = s.layer(a);

        GcReport report = collectLater(s, true, false);

        assertThat(s.blobExists(l1)).isTrue();
        assertThat(s.blobExists(shared)).isTrue();
        assertThat(s.blobExists(imageA)).isTrue();
        assertThat(s.blobExists(l3)).isFalse();
        assertThat(s.blobExists(imageB)).isFalse();
        assertThat(s.blobExists(orphan)).isFalse();
        assertThat(s.hasRevision(b, imageB)).isFalse();
        assertThat(s.linked(b, l3)).as("link to a swept blob").isFalse();
        assertThat(s.linked(b, shared)).as("link to a kept blob").isTrue();
        assertThat(report.manifestsDeleted()).containsExactly(b + "@" + imageB.digest());
        assertThat(report.blobsDeleted()).contains(l3.digest().toString(), orphan.digest().toString(),
                imageB.digest().toString());
        assertThat(report.bytesFreed()).isGreaterThanOrEqualTo(l3.size() + orphan.size() + imageB.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void anOverwrittenTagsOldManifest_leavesTheTagsHistoryWithIt_asDistributionsCollectorDoes(String driver)
            throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("team/app");
        Pushed old = s.image(a, "t1", list(s.layer(a)));
        Pushed current = s.image(a, "t1", list(s.layer(a)));
        s.image(a, "other", list(s.layer(a)));
        String oldEntry = StorageLayout.tagIndexLink(a, new Tag("t1"), old.digest());
        assertThat(s.driver.stat(oldEntry)).isNotNull();

        GcReport report = collectLater(s, true, false);

        assertThat(report.manifestsDeleted()).containsExactly(a + "@" + old.digest());
        assertThatThrownBy(() -> s.driver.stat(oldEntry)).isInstanceOf(io.wharf.storage.PathNotFoundException.class);
        assertThat(s.driver.stat(StorageLayout.tagIndexLink(a, new Tag("t1"), current.digest()))).isNotNull();
        assertThat(s.registry.manifests().get(a, new Tag("t1")).digest())
                .isEqualTo(current.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void withoutDeleteUntagged_everyRevisionKeepsItsBlobs(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("a");
        Pushed layer = s.layer(a);
        Pushed image = s.image(a, "v1", list(layer));
        s.registry.manifests().deleteTag(a, new Tag("v1"));
        Pushed orphan = s.layer(a);

        GcReport report = collectLater(s, false, false);

        assertThat(s.blobExists(layer)).isTrue();
        assertThat(s.hasRevision(a, image)).isTrue();
        assertThat(report.manifestsDeleted()).isEmpty();
        assertThat(report.blobsDeleted()).containsExactly(orphan.digest().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void indexWithUntaggedChildren_keepsChildrenAndTheirLayers(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("multi");
        Pushed amdLayer = s.layer(a);
        Pushed armLayer = s.layer(a);
        Pushed amd = s.image(a, null, list(amdLayer));
        Pushed arm = s.image(a, null, list(armLayer));
        Pushed index = s.index(a, "latest", list(amd, arm));
        Pushed oldLayer = s.layer(a);
        Pushed oldChild = s.image(a, null, list(oldLayer));
        Pushed oldIndex = s.index(a, "old", list(oldChild));
        s.registry.manifests().deleteTag(a, new Tag("old"));

        GcReport report = collectLater(s, true, false);

        assertThat(List.of(amd, arm, index)).allSatisfy(m -> assertThat(s.hasRevision(a, m)).isTrue());
        assertThat(List.of(amdLayer, armLayer, amd, arm, index)).allSatisfy(p -> assertThat(s.blobExists(p)).isTrue());
        assertThat(List.of(oldLayer, oldChild, oldIndex)).allSatisfy(p -> assertThat(s.blobExists(p)).isFalse());
        assertThat(report.manifestsDeleted()).containsExactlyInAnyOrder(a + "@" + oldChild.digest(),
                a + "@" + oldIndex.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void referrers_followTheirSubject(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("signed");
        Pushed kept = s.image(a, "v1", list(s.layer(a)));
        Pushed signature = s.image(a, null, list(s.layer(a)), kept);
        Pushed goneSubject = s.image(a, "v2", list(s.layer(a)));
        Pushed orphanSignature = s.image(a, null, list(s.layer(a)), goneSubject);
        s.registry.manifests().delete(a, goneSubject.digest());

        GcReport report = collectLater(s, true, false);

        assertThat(s.hasRevision(a, signature)).as("referrer of a tagged manifest").isTrue();
        assertThat(s.blobExists(signature)).isTrue();
        assertThat(s.hasRevision(a, orphanSignature)).as("referrer whose subject was deleted").isFalse();
        assertThat(s.blobExists(orphanSignature)).isFalse();
        assertThat(s.registry.listings().referrers(a, goneSubject.digest(), null)).isEmpty();
        assertThat(report.manifestsDeleted()).containsExactly(a + "@" + orphanSignature.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void referrersOfDeletedSubject_stayWithoutDeleteUntagged(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("signed");
        Pushed subject = s.image(a, "v1", list(s.layer(a)));
        Pushed signature = s.image(a, null, list(s.layer(a)), subject);
        s.registry.manifests().delete(a, subject.digest());

        collectLater(s, false, false);

        assertThat(s.hasRevision(a, signature)).isTrue();
        assertThat(s.blobExists(subject)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void contentNewerThanTheGracePeriod_isNeverSwept(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("fresh");
        Pushed orphan = s.layer(a);
        Pushed untagged = s.image(a, null, list(s.layer(a)));

        GcReport report = new GarbageCollector(s.registry, new GcMetrics(meters))
                .run(new GcOptions(false, true, GRACE, List.of()));

        assertThat(report.blobsDeleted()).isEmpty();
        assertThat(report.manifestsDeleted()).isEmpty();
        assertThat(report.keptInGrace()).isGreaterThanOrEqualTo(1);
        assertThat(s.blobExists(orphan)).isTrue();
        assertThat(s.hasRevision(a, untagged)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void blobTouchedDuringTheRun_survivesEvenWithoutGrace(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("a");
        Pushed orphan = s.layer(a);
        clock.advance(Duration.ofHours(2));
        // A HEAD by a client about to push a manifest that uses the blob.
        assertThat(s.registry.repositoryBlobs().stat(a, orphan.digest())).isPresent();

        GcReport report = new GarbageCollector(s.registry, new GcMetrics(meters)).run(GcOptions.offline(false, true));

        assertThat(report.blobsDeleted()).isEmpty();
        assertThat(s.blobExists(orphan)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void dryRun_reportsButChangesNothing(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("a");
        Pushed image = s.image(a, "v1", list(s.layer(a)));
        s.registry.manifests().deleteTag(a, new Tag("v1"));
        s.layer(a);
        var before = s.files();

        GcReport report = collectLater(s, true, true);

        assertThat(s.files()).isEqualTo(before);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.manifestsDeleted()).containsExactly(a + "@" + image.digest());
        assertThat(report.blobsDeleted()).hasSize(4);
        assertThat(report.summary()).startsWith("0 blobs marked, 4 blobs and 1 manifests eligible for deletion");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void repositoryWithNothingLeft_leavesTheCatalog(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName gone = repo("gone");
        RepositoryName kept = repo("kept");
        Pushed image = s.image(gone, "v1", list(s.layer(gone)));
        s.image(kept, "v1", list(s.layer(kept)));
        s.registry.manifests().delete(gone, image.digest());

        GcReport report = collectLater(s, false, false);

        assertThat(report.repositoriesRemoved()).containsExactly("gone");
        assertThat(s.registry.repositories().scanStorage()).containsExactly(kept);
        assertThat(s.registry.repositories().page(null, 10)).containsExactly("kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void schema1ManifestFromAnOldStore_keepsItsLayers(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("legacy");
        Pushed layer = s.layer(a);
        byte[] schema1 = ("{\"schemaVersion\":1,\"name\":\"legacy\",\"tag\":\"v1\",\"fsLayers\":[{\"blobSum\":\""
                + layer.digest() + "\"}],\"history\":[]}").getBytes(StandardCharsets.UTF_8);
        Pushed manifest = s.blob(a, schema1, "application/vnd.docker.distribution.manifest.v1+json");
        new Links(s.driver).write(StorageLayout.revisionLink(a, manifest.digest()), manifest.digest());
        s.registry.tags().tag(a, new Tag("v1"), manifest.digest());

        collectLater(s, true, false);

        assertThat(s.blobExists(layer)).isTrue();
        assertThat(s.blobExists(manifest)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void unreadableManifest_abortsBeforeDeletingAnything(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("broken");
        Pushed junk = s.blob(a, "not json".getBytes(StandardCharsets.UTF_8), "x");
        new Links(s.driver).write(StorageLayout.revisionLink(a, junk.digest()), junk.digest());
        s.layer(a);
        var before = s.files();

        assertThatThrownBy(() -> collectLater(s, false, false))
                .isInstanceOf(ManifestReferences.UnreadableManifestException.class)
                .hasMessageContaining(junk.digest().toString());
        assertThat(s.files()).isEqualTo(before);
        assertThat(meters.counter("wharf.gc.runs", "result", "failed").count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void metrics_countRunsBlobsAndBytes(String driver) throws Exception {
        StoreFixture s = store(driver);
        Pushed orphan = s.layer(repo("a"));

        collectLater(s, false, false);

        assertThat(meters.counter("wharf.gc.runs", "result", "ok").count()).isEqualTo(1);
        assertThat(meters.counter("wharf.gc.blobs.swept").count()).isEqualTo(1);
        assertThat(meters.counter("wharf.gc.bytes.freed").count()).isEqualTo(orphan.size());
        assertThat(meters.timer("wharf.gc.duration").count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void readOnlyRegistry_refusesARealRunButAllowsADryRun(String driver) throws Exception {
        StoreFixture s = store(driver);
        Registry readOnly = new Registry(s.driver, Registry.RegistryOptions.defaults().withReadOnly(true),
                new com.fasterxml.jackson.databind.ObjectMapper(), clock);
        GarbageCollector gc = new GarbageCollector(readOnly, new GcMetrics(meters));

        assertThatThrownBy(() -> gc.run(GcOptions.offline(false, false)))
                .hasMessageContaining("read-only");
        assertThat(gc.run(GcOptions.offline(true, false)).dryRun()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void deletedManifestByDigest_isNotServedAfterCollection(String driver) throws Exception {
        StoreFixture s = store(driver);
        RepositoryName a = repo("a");
        Pushed image = s.image(a, "v1", list(s.layer(a)));
        s.registry.manifests().delete(a, image.digest());

        collectLater(s, false, false);

        assertThat(s.registry.manifests().resolve(a, new DigestReference(image.digest()))).isEmpty();
        assertThat(s.blobExists(image)).isFalse();
    }
}
