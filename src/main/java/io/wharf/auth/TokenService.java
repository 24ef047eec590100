package io.wharf.auth;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wharf's token server, independent of HTTP: authenticates the caller (a password from htpasswd, a refresh token,
 * or nobody) and issues an access token for the part of the requested scopes the access rules allow, as the
 * Docker token protocol and its OAuth2 variant describe. Scopes the caller may not have are left out of the
 * token, not refused: the registry then answers the request it was needed for.
 */
public final class TokenService {
    /**
     * The longest token issued. Clients send it back in a request header, and the registry reads at most 16 KiB of
     * headers: a larger token would be issued only to be refused on every use. Clients ask for one to three scopes
     * (about 100-400 characters each in the token); this takes dozens.
     */
    static final int MAX_TOKEN_CHARS = 12 * 1024;
    private final TokenIssuer issuer;
    private final TokenVerifier refreshVerifier;
    private final PasswordCheck passwords;
    private final AccessRules rules;
    private final Duration expiration;
    private final Duration refreshExpiration;

    public TokenService(TokenIssuer issuer, TokenVerifier refreshVerifier, PasswordCheck passwords, AccessRules rules,
            Duration expiration, Duration refreshExpiration) {
        this.issuer = issuer;
        this.refreshVerifier = refreshVerifier;
        this.passwords = passwords;
        this.rules = rules;
        this.expiration = expiration;
        this.refreshExpiration = refreshExpiration;
    }

    /**
     * What a token request carries.
     *
     * @param credentials Basic credentials or the OAuth2 form's user name and password
     * @param refreshToken the OAuth2 form's refresh token
     * @param service the requested service, or null
     * @param scopes the requested scopes, as written
     * @param offline whether a refresh token is wanted ({@code offline_token=true} or {@code access_type=offline})
     * @param address the client's address
     */
    public record TokenRequest(Optional<BasicCredentials> credentials, Optional<String> refreshToken, String service,
            List<String> scopes, boolean offline, String address) {
    }

    /**
     * The answer.
     *
     * @param token the access token
     * @param expiresIn its lifetime in seconds
     * @param issuedAt when it was issued (RFC 3339)
     * @param refreshToken a refresh token, or empty
     * @param principal who it was issued to
     * @param granted what it grants
     */
    public record TokenResponse(String token, long expiresIn, String issuedAt, Optional<String> refreshToken,
            Principal principal, List<Scope> granted) {
    }

    /** The challenge the token endpoint answers a wrong password with. */
    public static String challenge(String realm) {
        return "Basic realm=\"" + realm.replace("\"", "") + "\"";
    }

    /**
     * Issues a token.
     *
     * @throws AccessDenied for a wrong password or refresh token, or while the address is slowed down
     * @throws RegistryException {@code REQUEST_INVALID} for another service, or for scopes that make a token longer
     *     than {@link #MAX_TOKEN_CHARS}
     */
    public TokenResponse issue(TokenRequest request, String realm) {
        if (request.service() != null && !request.service().isEmpty() && !request.service().equals(issuer.service())) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "unknown service " + abbreviate(request.service()));
        }
        List<Scope> requested = parse(request.scopes());
        Principal principal = authenticate(request, realm, requested);
        List<Scope> granted = requested.stream().map(s -> rules.grantable(principal, s))
                .filter(s -> !s.actions().isEmpty()).toList();
        String token = issuer.accessToken(principal.name(), granted, expiration);
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "the " + granted.size()
                    + " scopes asked for make a token of " + token.length() + " characters, more than the "
                    + MAX_TOKEN_CHARS + " a client can send back in its Authorization header; ask for fewer");
        }
        Optional<String> refresh = request.offline() && !principal.anonymous()
                ? Optional.of(request.refreshToken().orElseGet(() -> issuer.refreshToken(principal.name(),
                        refreshExpiration)))
                : Optional.empty();
        return new TokenResponse(token, expiration.toSeconds(), issuer.now().toString(), refresh, principal, granted);
    }

    private Principal authenticate(TokenRequest request, String realm, List<Scope> requested) {
        if (request.refreshToken().isPresent()) {
            try {
                return new Principal(refreshVerifier.verify(request.refreshToken().get()).subject());
            } catch (TokenVerifier.InvalidToken e) {
                throw AccessDenied.unauthorized(challenge(realm), Principal.ANONYMOUS, requested,
                        "refresh token refused: " + e.getMessage());
            }
        }
        if (request.credentials().isPresent()) {
            return passwords.authenticate(request.credentials().get(), request.address(), challenge(realm), requested);
        }
        return Principal.ANONYMOUS;
    }

    /** Scopes as written; malformed ones and invalid repository names (path traversal, upper case) are dropped. */
    private static List<Scope> parse(List<String> texts) {
        List<Scope> scopes = new ArrayList<>();
        for (String text : texts) {
            for (String one : text.trim().split("\\s+")) {
                Scope.parse(one).filter(s -> s.isCatalog() || s.isAdmin() || s.type().equals(Scope.REPOSITORY)
                        && RepositoryName.isValid(s.name())).ifPresent(scopes::add);
            }
        }
        return scopes;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
