package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestBodyBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefaultHeap_holdsAnEighthOfItInManifestBodies() {
        assertThat(ManifestEndpoints.bodyBudgetKib(64 * MIB)).isEqualTo(8 * 1024);
    }

    @Test
    void aHeapTooSmallForTwoLargestManifests_stillTakesOne() {
        assertThat(ManifestEndpoints.bodyBudgetKib(16 * MIB) * 1024L)
                .isGreaterThanOrEqualTo(ManifestEndpoints.MAX_MANIFEST_BYTES);
    }

    @Test
    void aLargeHeap_isNotCutOffByIntegerRange() {
        assertThat(ManifestEndpoints.bodyBudgetKib(64L * 1024 * MIB)).isEqualTo(8 * 1024 * 1024);
    }
}
