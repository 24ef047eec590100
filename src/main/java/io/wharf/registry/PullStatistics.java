package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.RepositoryName;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each repository's manifests were pulled since this server started, and when last: what
 * {@link PullCounting} records and the admin API shows. In memory, bounded to {@code maxRepositories} (the least
 * recently pulled are forgotten first); counts are {@code long}s that cannot overflow in practice. The time of the
 * last pull is kept to the millisecond.
 */
public final class PullStatistics {
    /** One repository's figures. */
    public record Entry(RepositoryName repository, long pulls, Instant lastPulled) {
    }

    private record Counter(LongAdder pulls, AtomicLong lastMillis) {
        Instant last() {
            return Instant.ofEpochMilli(lastMillis.get());
        }
    }

    private final Clock clock;
    private final Cache<RepositoryName, Counter> counters;

    public PullStatistics(Clock clock, long maxRepositories) {
        this.clock = clock;
        this.counters = Caffeine.newBuilder().maximumSize(maxRepositories).build();
    }

    void pulled(RepositoryName repo) {
        Counter c = counters.get(repo, r -> new Counter(new LongAdder(), new AtomicLong()));
        c.pulls().increment();
        long now = clock.millis();
        // Written only when the millisecond moved on: clients pulling one repository at once would otherwise all
        // write this one field on every pull, each write taking the field's cache line from the other cores.
        if (c.lastMillis().get() < now) {
            c.lastMillis().accumulateAndGet(now, Math::max);
        }
    }

    /** The repository's figures, or empty when it was not pulled since start (or was forgotten). */
    public Optional<Entry> of(RepositoryName repo) {
        Counter c = counters.getIfPresent(repo);
        return c == null ? Optional.empty() : Optional.of(new Entry(repo, c.pulls().sum(), c.last()));
    }

    /** The {@code limit} most pulled repositories, most pulled first. */
    public List<Entry> top(int limit) {
        return counters.asMap().entrySet().stream()
                .map(e -> new Entry(e.getKey(), e.getValue().pulls().sum(), e.getValue().last()))
                .sorted(Comparator.comparingLong(Entry::pulls).reversed().thenComparing(e -> e.repository().value()))
                .limit(limit).toList();
    }
}
