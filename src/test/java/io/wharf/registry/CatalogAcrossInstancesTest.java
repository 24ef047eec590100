package io.wharf.registry;

import static io.wharf.registry.StoreFixture.list;
import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one storage, hearing each other's change notices through one coordination (as through Redis):
 * the catalog index stays complete when a repository one of them removed is written again through the other.
 */
class CatalogAcrossInstancesTest {
    private final InMemoryDriver storage = new InMemoryDriver();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Coordination shared = new LocalCoordination(clock);

    private StoreFixture instance() {
        return new StoreFixture(storage, new Registry(RegistryParts.standard(storage,
                Registry.RegistryOptions.defaults().withDelete(true), new ObjectMapper(), clock, shared)));
    }

    @Test
    void aRepositoryRemovedByAnotherInstancesCollection_isIndexedAgainWhenPushedAgain() throws Exception {
        StoreFixture a = instance();
        StoreFixture b = instance();
        // As a server starting on empty storage: the index is complete from the first push on.
        a.registry.repositories().startOnEmptyStorage();
        RepositoryName name = repo("re/x");
        StoreFixture.Pushed first = a.image(name, "v1", list(a.layer(name)));
        a.registry.manifests().delete(name, first.digest());
        clock.advance(Duration.ofHours(2));
        GcReport report = new GarbageCollector(b.registry, new GcMetrics(new SimpleMeterRegistry()))
                .run(new GcOptions(false, true, Duration.ofHours(1), List.of()));
        assertThat(report.repositoriesRemoved()).contains("re/x");

        a.image(name, "v2", list(a.layer(name)));

        assertThat(a.registry.repositories().check().missing()).isEmpty();
        assertThat(a.registry.repositories().check().none()).as("the index matches the layout").isTrue();
        assertThat(b.registry.repositories().page("", 100)).contains("re/x");
    }
}
