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
    void quietForTwiceTheLongestWait_forgetsTheCount() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("dave", "10.0.0.1");
        }
        assertThat(throttle.waitSeconds("dave", "10.0.0.1")).isEqualTo(2);
        // Just short of twice maxdelay (8 s): the count goes on.
        clock.advance(Duration.ofSeconds(15));
        throttle.failed("dave", "10.0.0.1");
        assertThat(throttle.waitSeconds("dave", "10.0.0.1")).isEqualTo(4);
        // Twice maxdelay without a failure: the next three are free again (AUTH.md).
        clock.advance(Duration.ofSeconds(16));
        for (int i = 0; i < 3; i++) {
            throttle.failed("dave", "10.0.0.1");
            assertThat(throttle.waitSeconds("dave", "10.0.0.1")).isZero();
        }
        throttle.failed("dave", "10.0.0.1");
        assertThat(throttle.waitSeconds("dave", "10.0.0.1")).isEqualTo(1);
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

    @Test
    void attackerRotatingAddresses_getsOneGuessPerNewAddressOnceTheAccountsBudgetIsSpent() {
        for (int i = 0; i < LoginThrottle.ACCOUNT_BUDGET; i++) {
            throttle.failed("alice", "198.51.100." + i);
        }
        assertThat(throttle.waitSeconds("alice", "203.0.113.7")).as("a new address: one try").isZero();
        throttle.failed("alice", "203.0.113.7");
        assertThat(throttle.waitSeconds("alice", "203.0.113.7")).as("then wait for the window")
                .isGreaterThan(LoginThrottle.ACCOUNT_WINDOW.toSeconds() - 5);
        assertThat(throttle.waitSeconds("bob", "203.0.113.7")).as("other accounts are not affected").isZero();
        clock.advance(LoginThrottle.ACCOUNT_WINDOW);
        assertThat(throttle.waitSeconds("alice", "203.0.113.7")).isZero();
    }

    @Test
    void userWithTheRightPassword_fromAnAddressTheAttackerDoesNotControl_isNeverLockedOut() {
        for (int i = 0; i < 1_000; i++) {
            throttle.failed("alice", "198.51.100.66");
        }
        assertThat(throttle.waitSeconds("alice", "198.51.100.66")).isPositive();
        assertThat(throttle.waitSeconds("alice", "192.0.2.10")).as("the real user's first try").isZero();
        throttle.succeeded("alice", "192.0.2.10");
        for (int i = 0; i < 100; i++) {
            throttle.failed("alice", "198.51.100." + (i % 250));
        }
        assertThat(throttle.waitSeconds("alice", "192.0.2.10")).as("a known address ignores the budget").isZero();
    }

    @Test
    void failuresOfOneAccountFromOneAddress_backOffThatPairExponentially_upToTheCap() {
        AuthConfig.FailedLogins limits = new AuthConfig.FailedLogins(3, Duration.ofSeconds(1), Duration.ofSeconds(8));
        for (int i = 0; i < limits.free(); i++) {
            throttle.failed("alice", "10.0.0.9");
        }
        assertThat(throttle.waitSeconds("alice", "10.0.0.9")).isZero();
        long previous = 0;
        for (int i = 0; i < 10; i++) {
            throttle.failed("alice", "10.0.0.9");
            long wait = throttle.waitSeconds("alice", "10.0.0.9");
            assertThat(wait).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(limits.maxDelay().toSeconds());
            previous = wait;
        }
        assertThat(previous).isEqualTo(limits.maxDelay().toSeconds());
    }
}
