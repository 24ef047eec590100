package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullRecordsTest {
    private static final RepositoryName REPO = RepositoryName.parse("team/app");
    private static final Tag TAG = new Tag("v1");
    private static final Instant START = Instant.parse("2026-12-07T10:00:00.250Z");

    private final MutableClock clock = new MutableClock(START);
    private final PullRecords records = new PullRecords(new InMemoryDriver(), clock);

    @Test
    void aPullInTheSameMillisecond_leavesThePendingOne_aLaterOneReplacesIt_andAnEarlierOneDoesNot() throws Exception {
        records.pulled(REPO, TAG);
        clock.advance(Duration.ofNanos(500_000));
        records.pulled(REPO, TAG);

        assertThat(records.lastPulled(REPO, TAG)).contains(START);

        clock.advance(Duration.ofNanos(500_000));
        records.pulled(REPO, TAG);

        assertThat(records.lastPulled(REPO, TAG)).contains(START.plusMillis(1));

        clock.advance(Duration.ofMillis(-5));
        records.pulled(REPO, TAG);

        assertThat(records.lastPulled(REPO, TAG)).contains(START.plusMillis(1));
    }

    @Test
    void flushedRecords_areReadBackFromStorage_andTheNextPullIsRecordedAgain() throws Exception {
        records.pulled(REPO, TAG);

        assertThat(records.flush()).isEqualTo(1);
        assertThat(records.flush()).isZero();
        assertThat(records.lastPulled(REPO, TAG)).contains(START);

        clock.advance(Duration.ofHours(2));
        records.pulled(REPO, TAG);

        assertThat(records.lastPulled(REPO, TAG)).contains(START.plus(Duration.ofHours(2)));
        assertThat(records.flush()).isEqualTo(1);
    }
}
