package io.wharf.registry.redis;

import io.wharf.registry.Coordination;
import io.wharf.registry.CoordinationUnavailableException;
import io.wharf.registry.WriteActivity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * {@link Coordination} shared by every Wharf instance that uses one Redis: locks and leases are keys set with
 * {@code NX} and an expiry, holding a random token, renewed by a watchdog and released or renewed only by a script
 * that checks the token (so a holder that stalled past the expiry is fenced out and learns it through
 * {@link Held#held()}); change notices travel on a pub/sub channel. When Redis cannot be reached, lock and lease
 * calls throw {@link CoordinationUnavailableException}: writes are refused rather than made without coordination.
 */
public final class RedisCoordination implements Coordination, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCoordination.class);
    /** Deletes the key only while it still holds the caller's token. */
    static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
            + "else return 0 end";
    /** Extends the key's expiry only while it still holds the caller's token. */
    static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], "
            + "ARGV[2]) else return 0 end";
    private static final Duration LOCK_WAIT_STEP = Duration.ofMillis(10);

    private final UnifiedJedis redis;
    private final String prefix;
    private final Clock clock;
    private final Duration lockTtl;
    private final Duration lockWait;
    private final RedisWriteActivity writes;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdog;
    private final Thread subscriber;
    private final Subscription subscription = new Subscription();
    private volatile boolean closed;
    private final RedisHealth health = new RedisHealth(System::nanoTime);
    private final io.wharf.registry.SharedSizes sharedSizes;
    /** How long an unused shared blob size stays in Redis. */
    static final Duration SHARED_SIZE_TTL = Duration.ofDays(1);

    /**
     * @param prefix namespace of every key, so several registries can share one Redis ({@code wharf:})
     * @param lockTtl how long a lock outlives a holder that stops renewing it (a crashed instance)
     * @param lockWait how long {@link #lock} waits for a lock held by another before giving up
     * @param touchRetention how long a writer's touch is remembered (at least the longest GC grace period)
     */
    public RedisCoordination(UnifiedJedis redis, String prefix, Clock clock, Duration lockTtl, Duration lockWait,
            Duration touchRetention) {
        this(redis, prefix, clock, lockTtl, lockWait, touchRetention, false);
    }

    /** @param shareBlobSizes keep blob sizes in Redis ({@code storage.cache.blobdescriptor: redis}) */
    public RedisCoordination(UnifiedJedis redis, String prefix, Clock clock, Duration lockTtl, Duration lockWait,
            Duration touchRetention, boolean shareBlobSizes) {
        this.sharedSizes = shareBlobSizes ? new RedisSharedSizes(redis, prefix, SHARED_SIZE_TTL, health)
                : io.wharf.registry.SharedSizes.NONE;
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
        this.lockTtl = lockTtl;
        this.lockWait = lockWait;
        this.writes = new RedisWriteActivity(this, redis, prefix, clock, touchRetention);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wharf-redis-watchdog").factory());
        this.subscriber = Thread.ofPlatform().daemon().name("wharf-redis-changes").start(this::subscribeLoop);
    }

    @Override
    public Held lock(String key) throws IOException {
        String redisKey = prefix + "lock:" + key;
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + lockWait.toNanos();
        while (true) {
            if ("OK".equals(takeOrUndo(redisKey, token, lockTtl))) {
                return new RedisHeld(redisKey, token);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CoordinationUnavailableException("lock " + key + " still held by another instance after "
                        + lockWait.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(LOCK_WAIT_STEP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationUnavailableException("interrupted while waiting for lock " + key, e);
            }
        }
    }

    @Override
    public Optional<Lease> tryLease(String name, String owner, Duration ttl) throws IOException {
        String redisKey = prefix + "lease:" + name;
        String token = owner + "/" + UUID.randomUUID();
        boolean taken = "OK".equals(takeOrUndo(redisKey, token, ttl));
        return taken ? Optional.of(new RedisLease(redisKey, token, owner, clock.instant().plus(ttl))) : Optional.empty();
    }

    @Override
    public io.wharf.registry.SharedSizes sharedSizes() {
        return sharedSizes;
    }

    @Override
    public WriteActivity writes() {
        return writes;
    }

    @Override
    public void changed(String key) {
        try {
            redis.publish(prefix + "changes", key);
        } catch (JedisException e) {
            // Other instances' caches expire on their own; a lost notice delays them, it does not corrupt.
            LOG.debug("change notice for {} not sent: {}", key, e.toString());
        }
        listeners.forEach(l -> l.accept(key));
    }

    /** The notices of one call go in one pipeline: one round trip per call, not per key. */
    @Override
    public void changedAll(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (var pipeline = redis.pipelined()) {
            for (String key : keys) {
                pipeline.publish(prefix + "changes", key);
            }
            pipeline.sync();
        } catch (JedisException e) {
            LOG.debug("{} change notices not sent: {}", keys.size(), e.toString());
        }
        keys.forEach(key -> listeners.forEach(l -> l.accept(key)));
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Runs a Redis call, turning a connection failure into {@link CoordinationUnavailableException}. */
    <T> T call(RedisCall<T> body) throws CoordinationUnavailableException {
        try {
            T result = body.run();
            health.answered();
            return result;
        } catch (JedisException e) {
            health.failed(e);
            throw new CoordinationUnavailableException("Redis is unavailable: " + e.getMessage(), e);
        }
    }

    /** Whether Redis answered lately, shared by the parts that read from it. */
    RedisHealth health() {
        return health;
    }

    @FunctionalInterface
    interface RedisCall<T> {
        T run();
    }

    private boolean renew(String key, String token, Duration ttl) {
        try {
            Object r = redis.eval(RENEW, List.of(key), List.of(token, Long.toString(ttl.toMillis())));
            return r instanceof Long n && n == 1;
        } catch (JedisException e) {
            LOG.warn("could not renew {}: {}", key, e.toString());
            return false;
        }
    }

    /**
     * {@code SET key token NX PX ttl}. A call that fails may still have been carried out (a Redis that hung answers
     * the command after the client gave up on it), leaving the key held by nobody until it expires: every writer of
     * that upload or tag would wait its lock's expiry, every collection the lease's. So the key is released in the
     * background, by token, once Redis answers again.
     */
    private Object takeOrUndo(String key, String token, Duration ttl) throws CoordinationUnavailableException {
        try {
            return call(() -> redis.set(key, token, SetParams.setParams().nx().px(ttl.toMillis())));
        } catch (CoordinationUnavailableException e) {
            undo(key, token, System.nanoTime() + ttl.toNanos(), 250);
            throw e;
        }
    }

    /**
     * Releases the key if it holds the token, after {@code pauseMillis}; while Redis does not answer, again after
     * twice the pause (5 s at most), until the key would have expired anyway. Each attempt runs on a virtual thread
     * of its own, so a Redis that hangs holds no shared thread.
     */
    private void undo(String key, String token, long deadline, long pauseMillis) {
        if (closed || System.nanoTime() - deadline >= 0) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            try {
                redis.eval(RELEASE, List.of(key), List.of(token));
            } catch (JedisException stillDown) {
                undo(key, token, deadline, Math.min(pauseMillis * 2, 5_000));
            }
        }, CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS, r -> Thread.ofVirtual().start(r)));
    }

    private void release(String key, String token) {
        try {
            redis.eval(RELEASE, List.of(key), List.of(token));
        } catch (JedisException e) {
            LOG.warn("could not release {} (it expires by itself): {}", key, e.toString());
        }
    }

    /** A held lock: renewed every third of its expiry while held; lost when a renewal fails. */
    private final class RedisHeld implements Held {
        private final String key;
        private final String token;
        private final java.util.concurrent.ScheduledFuture<?> renewal;
        private volatile boolean held = true;

        RedisHeld(String key, String token) {
            this.key = key;
            this.token = token;
            long every = Math.max(1, lockTtl.toMillis() / 3);
            this.renewal = watchdog.scheduleAtFixedRate(() -> {
                if (held && !renew(key, token, lockTtl)) {
                    held = false;
                    LOG.warn("lost the lock {}: another instance may hold it now", key);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean held() {
            return held;
        }

        @Override
        public void close() {
            renewal.cancel(false);
            if (held) {
                held = false;
                release(key, token);
            }
        }
    }

    /** A lease: its key and the token that proves it is still this holder's. */
    final class RedisLease implements Lease {
        private final String key;
        private final String token;
        private final String owner;
        private volatile Instant expiresAt;

        RedisLease(String key, String token, String owner, Instant expiresAt) {
            this.key = key;
            this.token = token;
            this.owner = owner;
            this.expiresAt = expiresAt;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public boolean renew(Duration ttl) {
            boolean ok = RedisCoordination.this.renew(key, token, ttl);
            if (ok) {
                expiresAt = clock.instant().plus(ttl);
            }
            return ok;
        }

        @Override
        public void release() {
            RedisCoordination.this.release(key, token);
        }

        String key() {
            return key;
        }

        String token() {
            return token;
        }
    }

    private final class Subscription extends JedisPubSub {
        @Override
        public void onMessage(String channel, String message) {
            listeners.forEach(l -> l.accept(message));
        }
    }

    /** Keeps the change subscription up, reconnecting after a failure. */
    private void subscribeLoop() {
        while (!closed) {
            try {
                redis.subscribe(subscription, prefix + "changes");
            } catch (JedisException e) {
                if (!closed) {
                    LOG.debug("change subscription lost, retrying: {}", e.toString());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (subscription.isSubscribed()) {
                subscription.unsubscribe();
            }
        } catch (JedisException ignored) {
            // Closing anyway.
        }
        subscriber.interrupt();
        watchdog.shutdownNow();
    }
}
