package io.wharf.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.config.AuthConfig.FailedLogins;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down password guessing: after {@code free} failed logins from one address, that address must wait before
 * its next attempt is even checked ({@code delay}, doubling with each further failure, at most {@code maxDelay}).
 * An address is forgotten after {@code maxDelay} without failures, or on a successful login. Memory is bounded
 * (the 100,000 most recent addresses).
 */
public final class LoginThrottle {
    private final FailedLogins limits;
    private final Clock clock;
    private final Cache<String, Failures> failures;

    private record Failures(int count, Instant blockedUntil) {
    }

    public LoginThrottle(FailedLogins limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(limits.maxDelay().multipliedBy(2)).ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** Seconds the address must still wait before a login attempt is checked; 0 when it may try now. */
    public long waitSeconds(String address) {
        Failures f = failures.getIfPresent(address);
        if (f == null) {
            return 0;
        }
        Duration left = Duration.between(clock.instant(), f.blockedUntil());
        return left.isNegative() || left.isZero() ? 0 : (left.toMillis() + 999) / 1000;
    }

    /** Records a failed login. */
    public void failed(String address) {
        failures.asMap().compute(address, (a, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            Instant now = clock.instant();
            if (count <= limits.free()) {
                return new Failures(count, now);
            }
            int doublings = Math.min(count - limits.free() - 1, 30);
            Duration delay = limits.delay().multipliedBy(1L << doublings);
            if (delay.compareTo(limits.maxDelay()) > 0) {
                delay = limits.maxDelay();
            }
            return new Failures(count, now.plus(delay));
        });
    }

    /** Forgets the address's failures after a successful login. */
    public void succeeded(String address) {
        failures.invalidate(address);
    }
}
