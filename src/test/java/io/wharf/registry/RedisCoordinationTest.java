package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.registry.redis.RedisCoordination;
import io.wharf.testing.Await;
import io.wharf.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The coordination contract against a real {@code redis-server}, plus what only a shared one must do. */
class RedisCoordinationTest extends CoordinationContract {
    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected Coordination coordination() throws Exception {
        if (redis == null) {
            redis = RedisServer.start(dir);
        }
        return open(Duration.ofSeconds(30));
    }

    private RedisCoordination open(Duration lockTtl) {
        JedisPooled client = new JedisPooled("127.0.0.1", redis.port());
        RedisCoordination c = new RedisCoordination(client, "wharf-test:", clock, lockTtl, Duration.ofSeconds(5),
                Duration.ofHours(1));
        opened.add(c);
        opened.add(client);
        return c;
    }

    /** A registry in memory whose instances coordinate through this Redis. */
    private Registry registryOn(RedisCoordination coordination) {
        return new Registry(RegistryParts.standard(new io.wharf.storage.memory.InMemoryDriver(),
                Registry.RegistryOptions.defaults().withDelete(true), new com.fasterxml.jackson.databind.ObjectMapper(),
                clock, coordination));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoInstances_shareLocksTouchesAndChangeNotices() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofSeconds(30));
        RedisCoordination b = open(Duration.ofSeconds(30));
        List<String> seenByB = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.onChange(seenByB::add);

        try (Coordination.Held held = a.lock("tag:app:latest")) {
            assertThatThrownBy(() -> b.lock("tag:app:latest")).isInstanceOf(CoordinationUnavailableException.class)
                    .hasMessageContaining("still held");
        }
        b.lock("tag:app:latest").close();

        a.writes().touch("sha256:abc");
        assertThat(b.writes().removeUnlessRecent("sha256:abc", clock.instant().minusSeconds(1), () -> true))
                .as("a touch on instance a protects the content from a collection on b").isFalse();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seenByB.contains("tag:app:v1") && System.nanoTime() < deadline) {
            a.changed("tag:app:v1");
            Thread.sleep(50);
        }
        assertThat(seenByB).contains("tag:app:v1");
    }

    @Test
    void changedAll_manyKeysInOneCall_reachTheOtherInstanceAndThisOne() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofSeconds(30));
        RedisCoordination b = open(Duration.ofSeconds(30));
        java.util.Set<String> seenByA = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> seenByB = java.util.concurrent.ConcurrentHashMap.newKeySet();
        a.onChange(seenByA::add);
        b.onChange(seenByB::add);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seenByB.contains("ready") && System.nanoTime() < deadline) {
            a.changed("ready"); // until b's subscription is up
            Thread.onSpinWait();
        }
        List<String> keys = java.util.stream.IntStream.range(0, 2500).mapToObj(i -> "blob:sha256:" + i).toList();

        a.changedAll(keys);

        assertThat(seenByA).containsAll(keys);
        while (!seenByB.containsAll(keys) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(seenByB).containsAll(keys);
    }

    @Test
    void sharedSizes_removeAll_forgetsEveryBlobInFewCalls() throws Exception {
        coordination();
        JedisPooled client = new JedisPooled("127.0.0.1", redis.port());
        RedisCoordination shared = new RedisCoordination(client, "wharf-test:", clock, Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofHours(1), true);
        opened.add(shared);
        opened.add(client);
        List<io.wharf.spec.Digest> digests = java.util.stream.IntStream.range(0, 1500)
                .mapToObj(i -> io.wharf.spec.Digest.parse("sha256:" + "%064x".formatted(i))).toList();
        digests.forEach(d -> shared.sharedSizes().put(d, 42));
        assertThat(shared.sharedSizes().get(digests.get(1499))).hasValue(42);

        shared.sharedSizes().removeAll(digests.subList(0, 1400));

        assertThat(shared.sharedSizes().get(digests.get(0))).isEmpty();
        assertThat(shared.sharedSizes().get(digests.get(1399))).isEmpty();
        assertThat(shared.sharedSizes().get(digests.get(1400))).hasValue(42);
    }

    @Test
    void aCollectionsRemovals_stopOnceRedisLostItsState_withTheWritersTouches() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofSeconds(30));
        RedisCoordination b = open(Duration.ofSeconds(30));
        Coordination.Lease lease = a.tryLease("gc", "a", Duration.ofMinutes(2)).orElseThrow();
        WriteActivity collection = a.writes().fencedBy(lease);
        Instant cutoff = clock.instant().minusSeconds(1);
        assertThat(collection.removeUnlessRecent("sha256:before", cutoff, () -> true)).isTrue();

        // Restarted empty: the lease is gone, and so is any touch a writer made while the collection marked.
        redis.restartEmpty();
        Await.until(() -> {
            try {
                b.writes().touch("sha256:after");
                return true;
            } catch (RuntimeException staleConnection) {
                return false;
            }
        }, Duration.ofSeconds(10), "a writer's touch on the new Redis");
        java.util.concurrent.atomic.AtomicBoolean removed = new java.util.concurrent.atomic.AtomicBoolean();
        Await.until(() -> {
            try {
                collection.removeUnlessRecent("sha256:unseen", cutoff, () -> removed.getAndSet(true) || true);
                return false;
            } catch (CoordinationUnavailableException e) {
                return e.getMessage().contains("lease is gone");
            } catch (IOException staleConnection) {
                return false;
            }
        }, Duration.ofSeconds(10), "the collection's removal to be refused");
        assertThat(removed).as("nothing removed without the lease").isFalse();
        assertThatThrownBy(() -> collection.removeAllUnlessRecent(List.of("sha256:x", "sha256:y"), cutoff,
                keys -> keys)).isInstanceOf(CoordinationUnavailableException.class);
        // Another instance may collect now; this one's removals stay refused.
        assertThat(b.tryLease("gc", "b", Duration.ofMinutes(2))).isPresent();
        assertThatThrownBy(() -> collection.removeUnlessRecent("sha256:z", cutoff, () -> true))
                .isInstanceOf(CoordinationUnavailableException.class);
        assertThat(a.writes().removeUnlessRecent("sha256:z", cutoff, () -> true))
                .as("outside a collection removals need no lease").isTrue();
    }

    @Test
    void aCollectionRefusedForWantOfRedis_leavesNothingHeld_andTheNextOneRuns() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofSeconds(30));
        Registry registry = registryOn(a);
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        GarbageCollector gc = new GarbageCollector(registry, new GcMetrics(meters));
        GcOptions options = new GcOptions(false, true, Duration.ofHours(1), List.of());
        redis.kill();
        // Refused on another thread, as one admin request is and the next one is not.
        var refused = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                gc.run(options);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        assertThatThrownBy(refused::join)
                .hasStackTraceContaining("CoordinationUnavailableException");
        assertThat(meters.counter("wharf.gc.runs", "result", "failed").count()).as("the operator's count").isEqualTo(1);

        redis.restartEmpty();
        Await.until(() -> {
            try {
                gc.run(options);
                return true;
            } catch (CoordinationUnavailableException staleConnection) {
                return false;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Duration.ofSeconds(10), "a collection once Redis answers again");
        // The lease is given up at the end, and it would expire within minutes had the instance died.
        assertThat(a.tryLease("gc", "other", Duration.ofMinutes(2))).isPresent();
    }

    @Test
    void aChunkWhoseLockWasLostMidway_isNotAcknowledged_andTheUploadResumesFromWhatWasStored() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofMillis(300));
        Registry registry = registryOn(a);
        io.wharf.spec.RepositoryName repo = io.wharf.spec.RepositoryName.parse("team/app");
        String id = registry.uploads().start(repo).id();
        byte[] first = new byte[64 * 1024];
        java.util.Arrays.fill(first, (byte) 'a');
        try (io.wharf.testing.LogCapture log = new io.wharf.testing.LogCapture(RedisCoordination.class.getName())) {
            // The client's bytes keep coming while Redis goes away and the lock's expiry passes.
            java.io.InputStream body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(first),
                    new java.io.InputStream() {
                        private boolean cut;

                        @Override
                        public int read() throws IOException {
                            if (!cut) {
                                cut = true;
                                try {
                                    redis.kill();
                                    Await.until(() -> log.lines().stream().anyMatch(l -> l.startsWith("lost the lock")),
                                            Duration.ofSeconds(10), "the watchdog to give the lock up");
                                } catch (InterruptedException e) {
                                    throw new java.io.InterruptedIOException();
                                }
                            }
                            return -1;
                        }
                    });
            assertThatThrownBy(() -> registry.uploads().append(repo, id, body, 0, -1))
                    .isInstanceOf(CoordinationUnavailableException.class).hasMessageContaining("lost the lock");
        }
        redis.restartEmpty();
        Await.until(() -> {
            try {
                return registry.uploads().status(repo, id).size() == first.length;
            } catch (IOException staleConnection) {
                return false;
            }
        }, Duration.ofSeconds(10), "the upload's status to show the stored chunk");
    }

    @Test
    void aLockTakenWhileRedisHung_isGivenBackWhenItAnswers_notLeftToExpire() throws Exception {
        coordination();
        JedisPooled impatient = new JedisPooled(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().socketTimeoutMillis(300).build());
        opened.add(impatient);
        RedisCoordination a = new RedisCoordination(impatient, "wharf-test:", clock, Duration.ofMinutes(2),
                Duration.ofSeconds(5), Duration.ofHours(1));
        opened.add(a);
        RedisCoordination b = open(Duration.ofMinutes(2));
        // A pooled connection already open, as in a running server: the SET reaches Redis and waits there.
        a.lock("upload:warm").close();
        redis.pause();
        try {
            assertThatThrownBy(() -> a.lock("upload:hung")).isInstanceOf(CoordinationUnavailableException.class);
        } finally {
            // Redis now carries out the SET it received while it hung: the key is held, by nobody.
            redis.resume();
        }
        Await.until(() -> {
            try (Coordination.Held held = b.lock("upload:hung")) {
                return held.held();
            } catch (IOException stillHeld) {
                return false;
            }
        }, Duration.ofSeconds(30), "the lock to be free well before its two minutes' expiry");
    }

    @Test
    void aHolderWhoseRedisWentAway_losesItsLock_andNewLocksAreRefused() throws Exception {
        coordination();
        RedisCoordination a = open(Duration.ofMillis(300));
        Coordination.Held held = a.lock("upload:1");
        redis.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (held.held() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(held.held()).as("the watchdog notices it cannot renew").isFalse();
        assertThatThrownBy(() -> a.lock("upload:2")).isInstanceOf(CoordinationUnavailableException.class);
        redis = null;
    }
}
