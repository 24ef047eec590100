package io.wharf.auth;

import java.util.List;

/**
 * Who may use the web UI and what they may do there, decided by the registry's own access control: the same
 * htpasswd users and access rules as {@code docker login}, so the UI never offers more than the API allows.
 */
public interface UiLogins {
    /** Whether the registry has users at all; without them (an open registry) everyone may do everything. */
    boolean required();

    /** Whether a password can be checked here (not with an external token server only). */
    boolean available();

    /**
     * Checks a user's password.
     *
     * @throws AccessDenied {@code UNAUTHORIZED} without a challenge for a wrong user or password (or when logins are
     *     not {@link #available()}), {@code TOOMANYREQUESTS} while the address is slowed down after failed logins
     */
    Principal login(String user, String password, String address);

    /** What the principal may do on repositories. */
    Grant grant(Principal principal);

    /** Whether the principal may administer the registry (collect garbage, delete whole repositories). */
    boolean mayAdminister(Principal principal);

    /** An open registry: no login, everyone may do everything. */
    static UiLogins open() {
        return new UiLogins() {
            @Override
            public boolean required() {
                return false;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public Principal login(String user, String password, String address) {
                throw AccessDenied.loginRequired(new Principal(user), "this registry has no users; no login needed");
            }

            @Override
            public Grant grant(Principal principal) {
                return Grant.everything(principal);
            }

            @Override
            public boolean mayAdminister(Principal principal) {
                return true;
            }
        };
    }

    /** Users of an htpasswd file (Distribution's htpasswd, or the built-in token server's) under the access rules. */
    static UiLogins passwords(PasswordCheck passwords, AccessRules rules) {
        return new UiLogins() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public boolean available() {
                return true;
            }

            @Override
            public Principal login(String user, String password, String address) {
                try {
                    return passwords.authenticate(new BasicCredentials(user, password), address, "", List.of());
                } catch (AccessDenied e) {
                    if (e.challenge().isPresent()) {
                        throw AccessDenied.loginRequired(e.principal(), e.reason());
                    }
                    throw e;
                }
            }

            @Override
            public Grant grant(Principal principal) {
                return rules.grantFor(principal);
            }

            @Override
            public boolean mayAdminister(Principal principal) {
                return rules.mayAdminister(principal);
            }
        };
    }

    /**
     * An external token server only: passwords live elsewhere, so nobody logs in to the UI; anonymous callers see
     * what the access rules let anonymous callers pull (nothing, unless {@code access.anonymous.pull} says).
     */
    static UiLogins externalOnly(AccessRules rules) {
        return new UiLogins() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public Principal login(String user, String password, String address) {
                throw AccessDenied.loginRequired(new Principal(user),
                        "this registry's users log in at an external token server; the UI cannot check passwords");
            }

            @Override
            public Grant grant(Principal principal) {
                return rules.grantFor(principal);
            }

            @Override
            public boolean mayAdminister(Principal principal) {
                return false;
            }
        };
    }
}
