package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.memory.InMemoryDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheBudgetTest {
    private static final long MIB = 1L << 20;

    @ParameterizedTest
    @ValueSource(longs = {32, 96, 256, 4096})
    void allCachesFullFitInAThirdOfTheHeap(long heapMib) {
        CacheBudget budget = new CacheBudget(heapMib * MIB);
        long full = budget.manifestBytes() + budget.inventoryTags() * CacheBudget.TAG_BYTES
                + budget.keptDigests() * CacheBudget.DIGEST_BYTES + budget.blobSizes() * CacheBudget.BLOB_SIZE_BYTES
                + budget.smallBlobBytes();
        assertThat(full).isLessThanOrEqualTo(heapMib * MIB / 3);
    }

    @Test
    void aLargerHeapHoldsProportionallyMore() {
        CacheBudget small = new CacheBudget(96 * MIB);
        CacheBudget large = new CacheBudget(4 * 96 * MIB);
        assertThat(large.manifestBytes()).isEqualTo(4 * small.manifestBytes());
        assertThat(large.inventoryTags()).isBetween(4 * small.inventoryTags(), 4 * small.inventoryTags() + 4);
        assertThat(large.keptDigests()).isBetween(4 * small.keptDigests(), 4 * small.keptDigests() + 4);
        assertThat(large.blobSizes()).isBetween(4 * small.blobSizes(), 4 * small.blobSizes() + 4);
        assertThat(large.smallBlobBytes()).isEqualTo(4 * small.smallBlobBytes());
    }

    @Test
    void aHeapOfNothingIsRefused() {
        assertThatThrownBy(() -> new CacheBudget(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A heap too small to cache what is pushed still serves every manifest, from storage. */
    @Test
    void manifestsBeyondTheCacheAreReadFromStorage() throws IOException {
        // 64 KiB of heap gives 8 KiB of manifests and 5 blob sizes: far less than what is pushed here.
        var options = Registry.RegistryOptions.defaults().withCaches(new CacheBudget(64 * 1024));
        Registry registry = new Registry(new InMemoryDriver(), options, new ObjectMapper(), Clock.systemUTC());
        RepositoryName repo = RepositoryName.parse("small/heap");
        List<Digest> pushed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pushed.add(push(registry, repo, i));
        }
        for (int i = 0; i < pushed.size(); i++) {
            assertThat(registry.manifests().get(repo, new Tag("t" + i)).digest()).isEqualTo(pushed.get(i));
        }
    }

    private static Digest push(Registry registry, RepositoryName repo, int i) throws IOException {
        byte[] config = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(400) + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.compute(Digest.Algorithm.SHA256, config);
        registry.uploads().putWhole(repo, new java.io.ByteArrayInputStream(config), config.length, c);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value()
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c
                + "\",\"size\":" + config.length + "},\"layers\":[],\"annotations\":{\"pad\":\"" + "y".repeat(200 + i)
                + "\"}}";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        registry.manifests().put(repo, new Tag("t" + i), payload, MediaType.OCI_MANIFEST);
        return Digest.compute(Digest.Algorithm.SHA256, payload);
    }
}
