package io.wharf.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a verified token says.
 *
 * @param subject the {@code sub}: the user; empty for an anonymous token
 * @param access the {@code access} claim: what the bearer may do
 * @param expiry the {@code exp}
 */
public record TokenClaims(String subject, List<Scope> access, Instant expiry) {
    public TokenClaims {
        access = List.copyOf(access);
    }

    /** Whether the token grants {@code action} on the resource ({@code *} grants every action). */
    public boolean grants(String type, String name, String action) {
        return access.stream().anyMatch(s -> s.type().equals(type) && s.name().equals(name)
                && (s.actions().contains(action) || s.actions().contains("*")));
    }

    /** Whether the token grants every action of the scope. */
    public boolean grants(Scope scope) {
        return scope.actions().stream().allMatch(a -> grants(scope.type(), scope.name(), a));
    }
}
