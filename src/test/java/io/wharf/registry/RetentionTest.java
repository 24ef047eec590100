package io.wharf.registry;

import static io.wharf.registry.StoreFixture.list;
import static io.wharf.registry.StoreFixture.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static Retention.TagAge age(String tag, int daysAgo, Integer pulledDaysAgo) {
        return new Retention.TagAge(new Tag(tag), NOW.minus(Duration.ofDays(daysAgo)),
                pulledDaysAgo == null ? null : NOW.minus(Duration.ofDays(pulledDaysAgo)));
    }

    private static RetentionRule rule(int keepLast, Duration keepWithin, String... protect) {
        return new RetentionRule(GlobPattern.compile("**"), keepLast, keepWithin,
                GlobPattern.compileAll(List.of(protect)));
    }

    private final List<Retention.TagAge> tags = List.of(age("a", 1, null), age("b", 2, null), age("c", 30, 1),
            age("d", 40, null), age("latest", 50, null), age("release-1", 60, null));

    @Test
    void keepLast_keepsTheNewestByPushTime() {
        assertThat(Retention.expired(rule(2, null), tags, NOW)).extracting(Tag::value)
                .containsExactly("c", "d", "latest", "release-1");
    }

    @Test
    void keepWithin_countsPullsToo() {
        assertThat(Retention.expired(rule(-1, Duration.ofDays(7)), tags, NOW)).extracting(Tag::value)
                .containsExactly("d", "latest", "release-1");
    }

    @Test
    void bothLimits_keepTheUnion_andProtectedTagsNeverGo() {
        assertThat(Retention.expired(rule(1, Duration.ofDays(7), "latest", "release-*"), tags, NOW))
                .extracting(Tag::value).containsExactly("d");
    }

    @Test
    void ruleWithoutLimits_keepsEverything() {
        assertThat(rule(-1, null).limits()).isFalse();
    }

    @Test
    void gcRun_appliesTheFirstMatchingRuleAndCollectsWhatItFreed() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        StoreFixture s = new StoreFixture(new InMemoryDriver(), clock);
        RepositoryName team = repo("team/app");
        RepositoryName other = repo("other");
        var old = s.image(team, "old", list(s.layer(team)));
        s.image(team, "new", list(s.layer(team)));
        s.image(other, "old", list(s.layer(other)));
        var rules = List.of(new RetentionRule(GlobPattern.compile("team/*"), 1, null, List.of()),
                new RetentionRule(GlobPattern.compile("**"), 0, null, GlobPattern.compileAll(List.of("old"))));
        // "new" must be the newest by push time: make "old" older on the tag link itself.
        s.driver.putContent(StorageLayout.tagCurrentLink(team, new Tag("new")),
                s.driver.getContent(StorageLayout.tagCurrentLink(team, new Tag("new"))));
        clock.advance(Duration.ofHours(2));
        GarbageCollector gc = new GarbageCollector(s.registry, new GcMetrics(new SimpleMeterRegistry()));

        GcReport dry = gc.run(new GcOptions(true, true, Duration.ofHours(1), rules));
        GcReport real = gc.run(new GcOptions(false, true, Duration.ofHours(1), rules));

        assertThat(dry.tagsRemoved()).containsExactly("team/app:old");
        assertThat(dry.manifestsDeleted()).containsExactly("team/app@" + old.digest());
        assertThat(real.tagsRemoved()).containsExactly("team/app:old");
        assertThat(s.registry.tags().list(team)).containsExactly("new");
        assertThat(s.registry.tags().list(other)).containsExactly("old");
        assertThat(s.blobExists(old)).isFalse();
    }
}
