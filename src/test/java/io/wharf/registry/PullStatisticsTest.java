package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.RepositoryName;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullStatisticsTest {
    private static final RepositoryName APP = RepositoryName.parse("team/app");
    private static final RepositoryName DB = RepositoryName.parse("team/db");
    private static final Instant START = Instant.parse("2026-12-07T10:00:00.250Z");

    private final MutableClock clock = new MutableClock(START);
    private final PullStatistics statistics = new PullStatistics(clock, 100);

    @Test
    void pulls_areCounted_withTheLatestTime_andTheMostPulledComeFirst() {
        statistics.pulled(APP);
        clock.advance(Duration.ofMillis(1500));
        statistics.pulled(APP);
        statistics.pulled(DB);

        assertThat(statistics.of(APP)).contains(new PullStatistics.Entry(APP, 2, START.plusMillis(1500)));
        assertThat(statistics.top(10)).extracting(PullStatistics.Entry::repository).containsExactly(APP, DB);
        assertThat(statistics.of(RepositoryName.parse("other"))).isEmpty();
    }

    @Test
    void aPullTimedEarlierThanTheLast_leavesTheLastTime() {
        statistics.pulled(APP);
        clock.advance(Duration.ofMillis(-20));
        statistics.pulled(APP);

        assertThat(statistics.of(APP)).contains(new PullStatistics.Entry(APP, 2, START));
    }
}
