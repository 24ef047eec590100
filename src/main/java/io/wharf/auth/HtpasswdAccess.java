package io.wharf.auth;

import java.util.List;

/**
 * Distribution's {@code htpasswd} provider: {@code Basic} credentials on every request, checked against a bcrypt
 * htpasswd file, then Wharf's access rules (without rules, every user may do everything, as in Distribution).
 * Callers without credentials get what {@code access.anonymous} allows, and a challenge for the rest.
 */
public final class HtpasswdAccess implements AccessController {
    private final String challenge;
    private final PasswordCheck passwords;
    private final AccessRules rules;

    public HtpasswdAccess(String realm, PasswordCheck passwords, AccessRules rules) {
        this.challenge = "Basic realm=\"" + realm.replace("\"", "") + "\"";
        this.passwords = passwords;
        this.rules = rules;
    }

    @Override
    public Grant authorize(AccessRequest request) {
        List<Scope> scopes = request.scopes();
        var credentials = BasicCredentials.parse(request.authorization());
        if (credentials.isEmpty()) {
            if (!scopes.isEmpty() && scopes.stream().allMatch(s -> rules.allows(Principal.ANONYMOUS, s))) {
                return rules.grantFor(Principal.ANONYMOUS);
            }
            throw AccessDenied.unauthorized(challenge, Principal.ANONYMOUS, scopes, "no credentials");
        }
        Principal principal = passwords.authenticate(credentials.get(), request.address(), challenge, scopes);
        List<Scope> refused = scopes.stream().filter(s -> !rules.allows(principal, s)).toList();
        if (!refused.isEmpty()) {
            throw AccessDenied.denied(principal, refused, "no permission");
        }
        return rules.grantFor(principal);
    }
}
