package io.wharf.auth;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Who may use the web UI and what they may do there, decided by the registry's own access control: the same
 * htpasswd users and access rules as {@code docker login}, so the UI never offers more than the API allows.
 */
public final class UiLogins {
    /** Checks a password; throws {@link AccessDenied} when it does not prove the user. */
    @FunctionalInterface
    private interface Check {
        Principal login(String user, String password, String address);
    }

    private final boolean required;
    private final boolean available;
    private final Check check;
    private final Function<Principal, Grant> grants;
    private final Predicate<Principal> admins;

    private UiLogins(boolean required, boolean available, Check check, Function<Principal, Grant> grants,
            Predicate<Principal> admins) {
        this.required = required;
        this.available = available;
        this.check = check;
        this.grants = grants;
        this.admins = admins;
    }

    /** An open registry: no login, everyone may do everything. */
    public static UiLogins open() {
        return new UiLogins(false, false, (user, password, address) -> {
            throw AccessDenied.loginRequired(new Principal(user), "this registry has no users; no login needed");
        }, Grant::everything, p -> true);
    }

    /** Users of an htpasswd file (Distribution's htpasswd, or the built-in token server's) under the access rules. */
    public static UiLogins passwords(PasswordCheck passwords, AccessRules rules) {
        return new UiLogins(true, true, (user, password, address) -> {
            try {
                return passwords.authenticate(new BasicCredentials(user, password), address, "", List.of());
            } catch (AccessDenied e) {
                if (e.challenge().isPresent()) {
                    throw AccessDenied.loginRequired(e.principal(), e.reason());
                }
                throw e;
            }
        }, rules::grantFor, rules::mayAdminister);
    }

    /**
     * An external token server only: passwords live elsewhere, so nobody logs in to the UI; anonymous callers see
     * what the access rules let anonymous callers pull (nothing, unless {@code access.anonymous.pull} says).
     */
    public static UiLogins externalOnly(AccessRules rules) {
        return new UiLogins(true, false, (user, password, address) -> {
            throw AccessDenied.loginRequired(new Principal(user),
                    "this registry's users log in at an external token server; the UI cannot check passwords");
        }, rules::grantFor, p -> false);
    }

    /** Whether the registry has users at all; without them (an open registry) everyone may do everything. */
    public boolean required() {
        return required;
    }

    /** Whether a password can be checked here (not with an external token server only). */
    public boolean available() {
        return available;
    }

    /**
     * Checks a user's password.
     *
     * @throws AccessDenied {@code UNAUTHORIZED} without a challenge for a wrong user or password (or when logins are
     *     not {@link #available()}), {@code TOOMANYREQUESTS} while the address is slowed down after failed logins
     */
    public Principal login(String user, String password, String address) {
        return check.login(user, password, address);
    }

    /** What the principal may do on repositories. */
    public Grant grant(Principal principal) {
        return grants.apply(principal);
    }

    /** Whether the principal may administer the registry (collect garbage, delete whole repositories). */
    public boolean mayAdminister(Principal principal) {
        return admins.test(principal);
    }
}
