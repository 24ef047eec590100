package io.wharf.registry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.testing.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Reads skip a Redis that just failed for a cool-off, and each change of state is logged once. */
class RedisHealthTest {
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 1_000_000_000L);
    private final RedisHealth health = new RedisHealth(nanos::get);

    @Test
    void afterAFailure_readsSkipRedisForTheCoolOff_thenAskAgain_acrossTheClocksWrap() {
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RedisHealth.class);
        var level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try (LogCapture log = new LogCapture(RedisHealth.class.getName())) {
            assertThat(health.readsMayAsk()).isTrue();
            health.failed(new JedisConnectionException("Read timed out"));
            health.failed(new JedisConnectionException("Read timed out"));
            assertThat(health.readsMayAsk()).isFalse();
            nanos.addAndGet(RedisHealth.COOL_OFF.toNanos() - 1);
            assertThat(health.readsMayAsk()).isFalse();
            nanos.incrementAndGet();
            assertThat(health.readsMayAsk()).as("the cool-off is over, the clock having wrapped").isTrue();
            health.answered();
            health.answered();
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(0)).contains("Redis does not answer (Read timed out)")
                    .contains("pulls go on without it");
            assertThat(log.lines().get(1)).isEqualTo("Redis answers again");
        } finally {
            logger.setLevel(level);
        }
    }
}
