package io.wharf.auth;

/**
 * Decides whether a request may proceed. One implementation per mode: open, htpasswd (Basic) and token
 * (Bearer). Implementations are thread-safe.
 */
public interface AccessController {
    /**
     * Authenticates the caller and checks every scope of the request.
     *
     * @return what the caller may do
     * @throws AccessDenied with {@code UNAUTHORIZED} and a challenge when credentials are missing or wrong,
     *     {@code DENIED} when a known caller lacks a permission, {@code TOOMANYREQUESTS} while the address is
     *     slowed down after failed logins
     */
    Grant authorize(AccessRequest request);

    /**
     * Whether {@link #authorize} decides every request from memory, with no I/O and no costly computation (a
     * password hash, a signature), so that a request may be decided on the server's network thread. The default,
     * {@code false}, is the safe answer.
     */
    default boolean decidesInMemory() {
        return false;
    }

    /** The registry without access control: everyone may do everything, decided in memory. */
    static AccessController open() {
        return new AccessController() {
            @Override
            public Grant authorize(AccessRequest request) {
                return Grant.everything(Principal.ANONYMOUS);
            }

            @Override
            public boolean decidesInMemory() {
                return true;
            }
        };
    }
}
