package io.wharf.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.config.AuthConfig.FailedLogins;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down password guessing, keyed by the real peer address (forwarded headers count only from trusted proxies)
 * and by the account, so that neither rotating addresses nor naming many accounts buys guesses, and so that an
 * attacker cannot lock a user out:
 * <ul>
 *   <li><b>per address</b> and <b>per account and address</b>: after {@code free} failures, the next attempt is not
 *       even checked before {@code delay}, doubling with each further failure up to {@code maxDelay};</li>
 *   <li><b>per account</b>: beyond {@link #ACCOUNT_BUDGET} failures in {@link #ACCOUNT_WINDOW} from all addresses
 *       together, each address that has not logged in to that account before gets one attempt per window. A user
 *       with the right password, coming from an address the attacker does not control, still gets in on the first
 *       try; an address the account logged in from within {@link #KNOWN_FOR} is never held back by the budget.</li>
 * </ul>
 * A success forgets that address's failures. Memory is bounded (the most recent 100,000 entries of each kind);
 * counts saturate instead of overflowing.
 */
public final class LoginThrottle {
    /** Failures of one account, from every address, before new addresses get one attempt per window. */
    static final int ACCOUNT_BUDGET = 30;
    static final Duration ACCOUNT_WINDOW = Duration.ofMinutes(10);
    /** How long a successful login makes its address known for that account. */
    static final Duration KNOWN_FOR = Duration.ofDays(30);
    private static final int MAX_ENTRIES = 100_000;

    private final FailedLogins limits;
    private final Clock clock;
    private final Cache<String, Failures> failures;
    private final Cache<String, Window> accounts;
    private final Cache<String, Boolean> known;

    private record Failures(int count, Instant blockedUntil, Instant last) {
    }

    private record Window(Instant start, int count) {
    }

    public LoginThrottle(FailedLogins limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
                .expireAfterWrite(limits.maxDelay().multipliedBy(2).plus(ACCOUNT_WINDOW)).ticker(this::nanos).build();
        this.accounts = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(ACCOUNT_WINDOW)
                .ticker(this::nanos).build();
        this.known = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(KNOWN_FOR)
                .ticker(this::nanos).build();
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }

    /** Seconds the address must still wait before any login attempt from it is checked; 0 when it may try now. */
    public long waitSeconds(String address) {
        return remaining(failures.getIfPresent(addressKey(address)));
    }

    /** Seconds before an attempt for {@code account} from {@code address} is checked; 0 when it may try now. */
    public long waitSeconds(String account, String address) {
        long wait = Math.max(waitSeconds(address), remaining(failures.getIfPresent(pairKey(account, address))));
        if (known.getIfPresent(pairKey(account, address)) != null) {
            return wait;
        }
        Window window = accounts.getIfPresent(account);
        Failures pair = failures.getIfPresent(pairKey(account, address));
        if (window != null && window.count() >= ACCOUNT_BUDGET && pair != null
                && !pair.last().isBefore(window.start())) {
            Duration left = Duration.between(clock.instant(), window.start().plus(ACCOUNT_WINDOW));
            wait = Math.max(wait, ceilSeconds(left));
        }
        return wait;
    }

    /** Records a failed login from the address (the account unknown or not given). */
    public void failed(String address) {
        backOff(addressKey(address));
    }

    /** Records a failed login for the account from the address. */
    public void failed(String account, String address) {
        failed(address);
        backOff(pairKey(account, address));
        Instant now = clock.instant();
        accounts.asMap().compute(account, (a, w) -> w == null || !now.isBefore(w.start().plus(ACCOUNT_WINDOW))
                ? new Window(now, 1) : new Window(w.start(), w.count() == Integer.MAX_VALUE ? w.count() : w.count() + 1));
    }

    /** Forgets the address's failures after a successful login. */
    public void succeeded(String address) {
        failures.invalidate(addressKey(address));
    }

    /** Forgets the address's failures and remembers it as one the account logs in from. */
    public void succeeded(String account, String address) {
        succeeded(address);
        failures.invalidate(pairKey(account, address));
        known.put(pairKey(account, address), Boolean.TRUE);
    }

    private void backOff(String key) {
        failures.asMap().compute(key, (k, f) -> {
            Instant now = clock.instant();
            // Quiet for twice the longest wait: the count starts again. (The entry itself lives longer, for the
            // account window's check of recent failures.)
            boolean forgotten = f != null && !now.isBefore(f.last().plus(limits.maxDelay().multipliedBy(2)));
            int count = f == null || forgotten ? 1 : (f.count() == Integer.MAX_VALUE ? f.count() : f.count() + 1);
            if (count <= limits.free()) {
                return new Failures(count, now, now);
            }
            int doublings = Math.min(count - limits.free() - 1, 30);
            Duration delay = limits.delay().multipliedBy(1L << doublings);
            if (delay.compareTo(limits.maxDelay()) > 0) {
                delay = limits.maxDelay();
            }
            return new Failures(count, now.plus(delay), now);
        });
    }

    private long remaining(Failures f) {
        return f == null ? 0 : ceilSeconds(Duration.between(clock.instant(), f.blockedUntil()));
    }

    private static long ceilSeconds(Duration left) {
        return left.isNegative() || left.isZero() ? 0 : (left.toMillis() + 999) / 1000;
    }

    private static String addressKey(String address) {
        return "a\u0000" + address;
    }

    private static String pairKey(String account, String address) {
        return "p\u0000" + account + "\u0000" + address;
    }
}
