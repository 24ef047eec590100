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

    /** The registry without access control: everyone may do everything. */
    static AccessController open() {
        return request -> Grant.everything(Principal.ANONYMOUS);
    }
}
