package io.wharf.registry.redis;

import io.wharf.registry.Coordination;
import io.wharf.registry.CoordinationUnavailableException;
import io.wharf.registry.WriteActivity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * {@link WriteActivity} across instances: touches and in-flight counts are Redis keys, and a removal holds the key's
 * removal lock while it checks and deletes. A touch is one script that refuses while a removal holds the key, so for
 * every key either the collector (on any instance) removed it first, and the writer then sees it absent, or the
 * writer's touch came first, and the collector leaves it.
 */
final class RedisWriteActivity implements WriteActivity {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisWriteActivity.class);
    /** Touches the key unless a removal holds it: KEYS = removal lock, touched; ARGV = now, retention ms. */
    private static final String TOUCH = "if redis.call('exists', KEYS[1]) == 1 then return 0 end "
            + "redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2]) return 1";
    /** Counts the key in flight unless a removal holds it: KEYS = removal lock, in-flight; ARGV = expiry ms. */
    private static final String ENTER = "if redis.call('exists', KEYS[1]) == 1 then return 0 end "
            + "redis.call('incr', KEYS[2]) redis.call('pexpire', KEYS[2], ARGV[1]) return 1";
    /**
     * Takes every removal lock of a batch or none: KEYS = the locks, then the fencing lease when ARGV[3] (its token)
     * is not empty; ARGV = token, expiry ms, lease token. Returns -1 when the lease no longer holds its token, 0 when
     * the locks are taken, else the position of a lock another removal holds.
     */
    private static final String TAKE_ALL = "local n = #KEYS if ARGV[3] ~= '' then "
            + "if redis.call('get', KEYS[n]) ~= ARGV[3] then return -1 end n = n - 1 end "
            + "for i = 1, n do if redis.call('exists', KEYS[i]) == 1 then return i end end "
            + "for i = 1, n do redis.call('set', KEYS[i], ARGV[1], 'PX', ARGV[2]) end return 0";
    /** Releases the batch's locks that still carry its token: KEYS = the locks; ARGV = token. */
    private static final String RELEASE_ALL = "local n = 0 for _, k in ipairs(KEYS) do "
            + "if redis.call('get', k) == ARGV[1] then redis.call('del', k) n = n + 1 end end return n";
    private static final Duration IN_FLIGHT_EXPIRY = Duration.ofHours(1);
    private static final Duration REMOVAL_LOCK_TTL = Duration.ofMinutes(5);
    private static final Duration WAIT_STEP = Duration.ofMillis(5);

    private final RedisCoordination coordination;
    private final UnifiedJedis redis;
    private final String prefix;
    private final Clock clock;
    private final Duration retention;
    /** The collection's lease whose token removals check ({@link #fencedBy}); null for none. */
    private final RedisCoordination.RedisLease fence;

    RedisWriteActivity(RedisCoordination coordination, UnifiedJedis redis, String prefix, Clock clock,
            Duration retention) {
        this(coordination, redis, prefix, clock, retention, null);
    }

    private RedisWriteActivity(RedisCoordination coordination, UnifiedJedis redis, String prefix, Clock clock,
            Duration retention, RedisCoordination.RedisLease fence) {
        this.coordination = coordination;
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
        this.retention = retention;
        this.fence = fence;
    }

    @Override
    public WriteActivity fencedBy(Coordination.Lease lease) {
        if (!(lease instanceof RedisCoordination.RedisLease redisLease)) {
            throw new IllegalArgumentException("a lease of this Redis coordination is needed");
        }
        return new RedisWriteActivity(coordination, redis, prefix, clock, retention, redisLease);
    }

    private String id(Object key) {
        return key.getClass().getSimpleName() + ":" + key;
    }

    private String removalLock(Object key) {
        return prefix + "removing:" + id(key);
    }

    @Override
    public void touch(Object key) {
        String now = Long.toString(clock.millis());
        retryWhileRemoving(() -> redis.eval(TOUCH, List.of(removalLock(key), prefix + "touched:" + id(key)),
                List.of(now, Long.toString(retention.toMillis()))));
    }

    @Override
    public void touchForRead(Object key) {
        if (!coordination.health().readsMayAsk()) {
            // Redis failed moments ago: no instance can collect without it, and waiting out its timeout on every
            // read would turn a Redis that hangs into pulls that crawl.
            return;
        }
        try {
            touch(key);
        } catch (java.io.UncheckedIOException unavailable) {
            // Without Redis no instance can collect, so the read is safe without its touch.
        }
    }

    @Override
    public <T> T using(Collection<?> keys, LockedAction<T> action) throws IOException {
        List<Object> entered = new ArrayList<>();
        try {
            for (Object key : keys) {
                retryWhileRemoving(() -> redis.eval(ENTER, List.of(removalLock(key), prefix + "inflight:" + id(key)),
                        List.of(Long.toString(IN_FLIGHT_EXPIRY.toMillis()))));
                entered.add(key);
            }
            return action.run();
        } finally {
            for (Object key : entered) {
                try {
                    redis.decr(prefix + "inflight:" + id(key));
                } catch (RuntimeException e) {
                    // The count expires by itself; until then the collector only keeps more than it must.
                }
                touch(key);
            }
        }
    }

    @Override
    public Instant lastTouched(Object key) {
        List<String> values = redis.mget(prefix + "inflight:" + id(key), prefix + "touched:" + id(key));
        if (values.get(0) != null && Long.parseLong(values.get(0)) > 0) {
            return Instant.MAX;
        }
        return values.get(1) == null ? Instant.MIN : Instant.ofEpochMilli(Long.parseLong(values.get(1)));
    }

    @Override
    public boolean removeUnlessRecent(Object key, Instant since, Removal removal) throws IOException {
        return !removeAllUnlessRecent(List.of(key), since, keys -> removal.remove() ? keys : List.of()).isEmpty();
    }

    /**
     * Takes every key's removal lock with one script (all or none, waiting while another removal holds one), reads
     * all their in-flight counts and touches with one {@code MGET}, removes the eligible ones in one batch, and
     * releases the locks with one script: three round trips per batch, not two per key.
     */
    @Override
    public <K> List<K> removeAllUnlessRecent(List<K> keys, Instant since, BatchRemoval<K> removal)
            throws IOException {
        List<String> locks = keys.stream().map(this::removalLock).distinct().toList();
        String token = UUID.randomUUID().toString();
        List<String> scriptKeys = new ArrayList<>(locks);
        if (fence != null) {
            scriptKeys.add(fence.key());
        }
        List<String> args = List.of(token, Long.toString(REMOVAL_LOCK_TTL.toMillis()),
                fence == null ? "" : fence.token());
        while (true) {
            Object taken = coordination.call(() -> redis.eval(TAKE_ALL, scriptKeys, args));
            if (Long.valueOf(0).equals(taken)) {
                break;
            }
            if (Long.valueOf(-1).equals(taken)) {
                throw new CoordinationUnavailableException("the collection's lease is gone from Redis (restarted "
                        + "empty, or the lease expired and another instance took it): the writers' touches may be "
                        + "gone with it, so nothing more is deleted", null);
            }
            pause();
        }
        boolean removed = false;
        try {
            List<K> eligible = notRecent(keys, since);
            if (eligible.isEmpty()) {
                return List.of();
            }
            removed = true;
            var gone = java.util.Set.copyOf(removal.remove(eligible));
            return eligible.stream().filter(gone::contains).toList();
        } finally {
            Object released = coordination.call(() -> redis.eval(RELEASE_ALL, locks, List.of(token)));
            if (removed && !Long.valueOf(locks.size()).equals(released)) {
                // The locks went away while the removal ran: a writer may have touched a key meanwhile and relied on
                // content this removal deleted. It cannot be undone; it can be found.
                LOG.error("{} of {} removal locks vanished from Redis while their content was deleted (Redis "
                        + "restarted or lost them): a push made in that moment may reference a deleted blob; run "
                        + "wharf scrub", locks.size() - (released instanceof Long n ? n : 0), locks.size());
            }
        }
    }

    private <K> List<K> notRecent(List<K> keys, Instant since) throws IOException {
        String[] names = new String[keys.size() * 2];
        for (int i = 0; i < keys.size(); i++) {
            names[2 * i] = prefix + "inflight:" + id(keys.get(i));
            names[2 * i + 1] = prefix + "touched:" + id(keys.get(i));
        }
        List<String> values = coordination.call(() -> redis.mget(names));
        List<K> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String inFlight = values.get(2 * i);
            String touched = values.get(2 * i + 1);
            boolean busy = inFlight != null && Long.parseLong(inFlight) > 0;
            if (!busy && (touched == null || Instant.ofEpochMilli(Long.parseLong(touched)).isBefore(since))) {
                out.add(keys.get(i));
            }
        }
        return out;
    }

    @Override
    public <T> T locked(Object key, LockedAction<T> action) throws IOException {
        String lock = removalLock(key);
        String token = UUID.randomUUID().toString();
        while (!"OK".equals(coordination.call(() -> redis.set(lock, token,
                SetParams.setParams().nx().px(REMOVAL_LOCK_TTL.toMillis()))))) {
            pause();
        }
        try {
            return action.run();
        } finally {
            coordination.call(() -> redis.eval(RedisCoordination.RELEASE, List.of(lock), List.of(token)));
        }
    }

    @Override
    public void forgetBefore(Instant cutoff) {
        // Touches expire in Redis after the retention; nothing to drop here.
    }

    private void retryWhileRemoving(RedisCoordination.RedisCall<Object> script) {
        while (true) {
            Object done;
            try {
                done = coordination.call(script);
            } catch (CoordinationUnavailableException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (done instanceof Long n && n == 1) {
                return;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(WAIT_STEP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a removal held the key", e);
        }
    }
}
