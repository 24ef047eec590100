package io.wharf.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.AuthConfig;
import io.wharf.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new AuthConfig.FailedLogins(3, Duration.ofSeconds(1), Duration.ofSeconds(8)), clock);

    @Test
    void freeFailures_thenDoublingDelays_boundedByMaxDelay() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
            assertThat(throttle.waitSeconds("10.0.0.1")).isZero();
        }
        long[] expected = {1, 2, 4, 8, 8, 8};
        for (long seconds : expected) {
            throttle.failed("10.0.0.1");
            assertThat(throttle.waitSeconds("10.0.0.1")).isEqualTo(seconds);
        }
        assertThat(throttle.waitSeconds("10.0.0.2")).isZero();
        clock.advance(Duration.ofSeconds(8));
        assertThat(throttle.waitSeconds("10.0.0.1")).isZero();
    }

    @Test
    void success_forgetsTheAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.waitSeconds("10.0.0.1")).isZero();
        throttle.failed("10.0.0.1");
        assertThat(throttle.waitSeconds("10.0.0.1")).isZero();
    }
}
