package io.wharf.auth;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Distribution's {@code token} provider: a {@code Bearer} token on every request, verified by {@link TokenVerifier}
 * and holding every scope the endpoint needs; otherwise 401 with a challenge naming the realm, service and scopes.
 * With Wharf's token server, its access rules also let anonymous callers pull what {@code access.anonymous} allows
 * without a token and decide which repositories a token holder sees in the catalog.
 */
public final class TokenAccess implements AccessController {
    private final TokenVerifier verifier;
    private final String realm;
    private final String realmPath;
    private final String service;
    private final Optional<AccessRules> localRules;

    /**
     * @param realm the token endpoint's URL; empty to build it from the request's base URL and {@code realmPath}
     * @param localRules the rules of Wharf's own token server, or empty for an external issuer
     */
    public TokenAccess(TokenVerifier verifier, String realm, String realmPath, String service,
            Optional<AccessRules> localRules) {
        this.verifier = verifier;
        this.realm = realm;
        this.realmPath = realmPath;
        this.service = service;
        this.localRules = localRules;
    }

    @Override
    public Grant authorize(AccessRequest request) {
        List<Scope> scopes = request.scopes();
        String auth = request.authorization();
        if (auth == null || auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (localRules.isPresent() && !scopes.isEmpty()
                    && scopes.stream().allMatch(s -> localRules.get().allows(Principal.ANONYMOUS, s))) {
                return localRules.get().grantFor(Principal.ANONYMOUS);
            }
            throw AccessDenied.unauthorized(challenge(request, null), Principal.ANONYMOUS, scopes,
                    "no bearer token");
        }
        TokenClaims claims;
        try {
            claims = verifier.verify(auth.substring(7).trim());
        } catch (TokenVerifier.InvalidToken e) {
            throw AccessDenied.unauthorized(challenge(request, "invalid_token"), Principal.ANONYMOUS, scopes,
                    e.getMessage());
        }
        Principal principal = new Principal(claims.subject());
        List<Scope> missing = scopes.stream().filter(s -> !claims.grants(s)).toList();
        if (!missing.isEmpty()) {
            throw AccessDenied.unauthorized(challenge(request, "insufficient_scope"), principal, missing,
                    "token does not grant the scope");
        }
        return grant(principal, claims);
    }

    private Grant grant(Principal principal, TokenClaims claims) {
        return new Grant() {
            @Override
            public Principal principal() {
                return principal;
            }

            @Override
            public boolean allows(String repository, Action action) {
                return claims.grants(Scope.REPOSITORY, repository, action.scopeName());
            }

            @Override
            public boolean lists(String repository) {
                // An external issuer's catalog scope shows everything, as in Distribution.
                return localRules.map(r -> r.allowed(principal, repository).contains(Action.PULL)).orElse(true);
            }
        };
    }

    private String challenge(AccessRequest request, String error) {
        String where = realm.isEmpty() ? request.baseUrl() + realmPath : realm;
        StringBuilder c = new StringBuilder("Bearer realm=\"").append(where).append("\",service=\"")
                .append(service).append('"');
        if (!request.scopes().isEmpty()) {
            c.append(",scope=\"").append(request.scopes().stream().map(Scope::toString)
                    .collect(Collectors.joining(" "))).append('"');
        }
        if (error != null) {
            c.append(",error=\"").append(error).append('"');
        }
        return c.toString();
    }
}
