package io.wharf.registry;

import static io.wharf.registry.StoreFixture.list;
import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.registry.StoreFixture.Pushed;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Collections that run exactly in the middle of a write, with no grace period: only the
 * {@link ActivityGuard} protects the write. Each test fails when the guard is bypassed.
 */
class InFlightWritesTest {
    private final BlockingDriver driver = new BlockingDriver(new InMemoryDriver());
    private final MutableClock clock = new MutableClock(Instant.now());
    private final StoreFixture store = new StoreFixture(driver, clock);
    private final GarbageCollector gc = new GarbageCollector(store.registry, new GcMetrics(new SimpleMeterRegistry()));

    @Test
    void collectionDuringAManifestPush_keepsEverythingTheManifestNeeds() throws Exception {
        RepositoryName repo = repo("app");
        Pushed layer = store.layer(repo);
        Pushed config = store.blob(repo, "application/vnd.oci.image.config.v1+json");
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + config.json() + ",\"layers\":[" + layer.json() + "]}";
        clock.advance(Duration.ofHours(2));
        driver.pauseAt(p -> p.contains("/_manifests/revisions/"));

        CompletableFuture<Pushed> push = CompletableFuture.supplyAsync(() -> {
            try {
                return store.manifest(repo, "v1", manifest, io.wharf.spec.MediaType.OCI_MANIFEST);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(driver.reached.await(30, TimeUnit.SECONDS)).isTrue();
        GcReport during = gc.run(GcOptions.offline(false, true));
        driver.release.countDown();
        Pushed pushed = push.get(30, TimeUnit.SECONDS);

        assertThat(during.blobsDeleted()).isEmpty();
        assertThat(store.blobExists(layer)).isTrue();
        assertThat(store.blobExists(config)).isTrue();
        assertThat(store.blobExists(pushed)).isTrue();
        assertThat(store.registry.manifests().get(repo, new Tag("v1")).digest()).isEqualTo(pushed.digest());
        clock.advance(Duration.ofHours(2));
        assertThat(gc.run(GcOptions.offline(false, true)).blobsDeleted()).as("now referenced by a tag").isEmpty();
    }

    @Test
    void collectionDuringAnUploadsLink_keepsTheBlobAndItsLink() throws Exception {
        RepositoryName repo = repo("app");
        clock.advance(Duration.ofHours(2));
        driver.pauseAt(p -> p.contains("/_layers/"));

        CompletableFuture<Pushed> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return store.layer(repo);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(driver.reached.await(30, TimeUnit.SECONDS)).isTrue();
        GcReport during = gc.run(GcOptions.offline(false, true));
        driver.release.countDown();
        Pushed layer = upload.get(30, TimeUnit.SECONDS);

        assertThat(during.blobsDeleted()).isEmpty();
        assertThat(during.repositoriesRemoved()).isEmpty();
        assertThat(store.blobExists(layer)).isTrue();
        assertThat(store.linked(repo, layer)).isTrue();
    }
}
