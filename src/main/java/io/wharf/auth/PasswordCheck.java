package io.wharf.auth;

import java.util.List;

/**
 * Checks a user's password against an htpasswd file, slowing down addresses that keep failing. Shared by the
 * htpasswd access controller and the token server.
 */
public final class PasswordCheck {
    private final HtpasswdFile users;
    private final LoginThrottle throttle;

    public PasswordCheck(HtpasswdFile users, LoginThrottle throttle) {
        this.users = users;
        this.throttle = throttle;
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
            throw AccessDenied.throttled(claimed, scopes, wait);
        }
        if (!users.verify(credentials.user(), credentials.password())) {
            throttle.failed(credentials.user(), address);
            throw AccessDenied.unauthorized(challenge, claimed, scopes, "wrong user name or password");
        }
        throttle.succeeded(credentials.user(), address);
        return claimed;
    }
}
