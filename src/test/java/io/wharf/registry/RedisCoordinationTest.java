package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.registry.redis.RedisCoordination;
import io.wharf.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
