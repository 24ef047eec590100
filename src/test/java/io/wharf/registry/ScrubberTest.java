package io.wharf.registry;

import static io.wharf.registry.StoreFixture.list;
import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScrubberTest {
    private final StoreFixture s = new StoreFixture(new InMemoryDriver(), new MutableClock(Instant.now()));

    @Test
    void cleanStore_reportsNothing() throws Exception {
        RepositoryName a = repo("a");
        s.image(a, "v1", list(s.layer(a)));

        Scrubber.Report report = new Scrubber(s.registry).scrub(false);

        assertThat(report.clean()).isTrue();
        assertThat(report.blobsChecked()).isEqualTo(3);
    }

    @Test
    void corruptBlob_isReportedAndQuarantinedOnRequest() throws Exception {
        RepositoryName a = repo("a");
        var layer = s.layer(a);
        s.image(a, "v1", list(layer));
        s.driver.putContent(StorageLayout.blobData(layer.digest()), "bit rot".getBytes(StandardCharsets.UTF_8));

        Scrubber.Report reportOnly = new Scrubber(s.registry).scrub(false);
        assertThat(reportOnly.corrupt()).containsExactly(layer.digest().toString());
        assertThat(s.blobExists(layer)).isTrue();

        Scrubber.Report quarantined = new Scrubber(s.registry).scrub(true);
        assertThat(quarantined.quarantined()).containsExactly(layer.digest().toString());
        assertThat(s.blobExists(layer)).isFalse();
        assertThat(s.exists(StorageLayout.quarantine(layer.digest()))).isTrue();
        assertThat(quarantined.missingBlobs()).singleElement().asString().contains("refers to missing blob");
        assertThat(quarantined.danglingLinks()).singleElement().asString().contains("_layers " + layer.digest());
    }

    @Test
    void tagToMissingManifest_isADanglingLink() throws Exception {
        RepositoryName a = repo("a");
        var image = s.image(a, "v1", list(s.layer(a)));
        s.driver.delete(StorageLayout.blobDir(image.digest()));

        Scrubber.Report report = new Scrubber(s.registry).scrub(false);

        assertThat(report.danglingLinks()).anySatisfy(l -> assertThat(l).contains("a:v1 -> " + image.digest()));
        assertThat(report.clean()).isFalse();
        assertThat(Digest.isValid(image.digest().toString())).isTrue();
    }

    @Test
    void emptyRevisionAndLayerDirectories_asADeleteThroughDistributionLeavesThem_areNotDangling() throws Exception {
        var repo = StoreFixture.repo("app");
        var layer = s.layer(repo);
        var image = s.image(repo, "v1", java.util.List.of(layer));
        // Distribution deletes the link file and keeps its directory.
        s.driver.delete(StorageLayout.revisionLink(repo, image.digest()));
        s.driver.delete(StorageLayout.layerLink(repo, layer.digest()));
        s.driver.delete(StorageLayout.blobData(layer.digest()));
        s.driver.delete(StorageLayout.tagDir(repo, new io.wharf.spec.Tag("v1")));
        s.driver.delete(StorageLayout.blobData(image.digest()));
        s.driver.putContent(StorageLayout.revisionDir(repo, image.digest()) + "/.keep", new byte[0]);
        s.driver.putContent(StorageLayout.layerLinkDir(repo, layer.digest()) + "/.keep", new byte[0]);

        Scrubber.Report report = new Scrubber(s.registry).scrub(false);

        assertThat(report.danglingLinks()).isEmpty();
    }
}
