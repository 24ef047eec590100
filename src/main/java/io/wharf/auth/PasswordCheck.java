package io.wharf.auth;

import java.util.List;

/**
 * Checks a user's password against an htpasswd file, slowing down addresses that keep failing. Shared by the
 * htpasswd access controller and the token server.
 */
public final class PasswordCheck {
    private final HtpasswdFile users;
    private final LoginThrottle throttle;

    private final io.micrometer.core.instrument.Counter succeeded;
    private final io.micrometer.core.instrument.Counter failed;
    private final io.micrometer.core.instrument.Counter throttled;

    public PasswordCheck(HtpasswdFile users, LoginThrottle throttle) {
        this(users, throttle, new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
    }

    /** Counting logins in {@code wharf_logins_total{result="ok|failed|throttled"}}. */
    public PasswordCheck(HtpasswdFile users, LoginThrottle throttle, io.micrometer.core.instrument.MeterRegistry meters) {
        this.users = users;
        this.throttle = throttle;
        this.succeeded = meters.counter("wharf.logins", "result", "ok");
        this.failed = meters.counter("wharf.logins", "result", "failed");
        this.throttled = meters.counter("wharf.logins", "result", "throttled");
    }

    /**
     * The principal the credentials prove.
     *
     * @param challenge the challenge to answer a wrong password with
     * @throws AccessDenied {@code TOOMANYREQUESTS} while the address must wait (the password is not even
     *     checked), {@code UNAUTHORIZED} for a wrong user or password
     */
    public Principal authenticate(BasicCredentials credentials, String address, String challenge, List<Scope> scopes) {
        Principal claimed = new Principal(credentials.user());
        long wait = throttle.waitSeconds(credentials.user(), address);
        if (wait > 0) {
            throttled.increment();
            throw AccessDenied.throttled(claimed, scopes, wait);
        }
        if (!users.verify(credentials.user(), credentials.password())) {
            failed.increment();
            throttle.failed(credentials.user(), address);
            throw AccessDenied.unauthorized(challenge, claimed, scopes, "wrong user name or password");
        }
        throttle.succeeded(credentials.user(), address);
        succeeded.increment();
        return claimed;
    }
}
