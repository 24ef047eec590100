package io.wharf.auth;

import java.util.Optional;

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
     * The grant this controller gives every request whatever it carries, if there is one. A caller holding it need
     * not describe requests to the controller: on the path of every request, that is an address turned into text,
     * a URL and the scopes not built.
     */
    default Optional<Grant> unconditional() {
        return Optional.empty();
    }

    /** The registry without access control: everyone may do everything. */
    static AccessController open() {
        Grant everything = Grant.everything(Principal.ANONYMOUS);
        return new AccessController() {
            @Override
            public Grant authorize(AccessRequest request) {
                return everything;
            }

            @Override
            public Optional<Grant> unconditional() {
                return Optional.of(everything);
            }
        };
    }
}
