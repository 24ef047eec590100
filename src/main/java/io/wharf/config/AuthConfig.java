package io.wharf.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the registry: Distribution's {@code auth} section (one provider, {@code htpasswd} or
 * {@code token}) and Wharf's own {@code access} rules and {@code tokenserver}.
 *
 * @param htpasswd {@code auth.htpasswd}
 * @param token {@code auth.token}
 * @param access {@code access}: per-repository permissions; {@link Access#none()} lets every authenticated
 *     user do everything, as Distribution does
 * @param tokenServer {@code tokenserver}: Wharf issues its own tokens at {@code /auth/token}
 */
public record AuthConfig(Optional<Htpasswd> htpasswd, Optional<Token> token, Access access,
        Optional<TokenServer> tokenServer) {

    public AuthConfig {
        Objects.requireNonNull(htpasswd, "htpasswd");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(tokenServer, "tokenServer");
    }

    /** An open registry: no authentication, as {@code wharf serve} without a configuration. */
    public static AuthConfig none() {
        return new AuthConfig(Optional.empty(), Optional.empty(), Access.none(), Optional.empty());
    }

    /** Whether requests need no credentials at all. */
    public boolean open() {
        return htpasswd.isEmpty() && token.isEmpty() && tokenServer.isEmpty();
    }

    /**
     * {@code auth.htpasswd}.
     *
     * @param realm the realm of the {@code Basic} challenge
     * @param path the htpasswd file (bcrypt only); created with one generated user when missing
     */
    public record Htpasswd(String realm, Path path) {
    }

    /**
     * {@code auth.token}: tokens from an issuer, verified as Distribution verifies them.
     *
     * @param realm the token endpoint clients are sent to
     * @param service the audience the tokens must name
     * @param issuer the issuer the tokens must name
     * @param rootCertBundle PEM certificates: {@code x5c} chains must end in one; their keys also sign
     * @param jwks a JSON Web Key Set file of trusted keys, found by {@code kid}
     * @param signingAlgorithms allowed {@code alg} values; empty means every asymmetric algorithm
     * @param autoRedirect whether the realm is made from the request's host and {@code autoRedirectPath}
     * @param autoRedirectPath the token endpoint's path on the registry's host
     */
    public record Token(String realm, String service, String issuer, Optional<Path> rootCertBundle,
            Optional<Path> jwks, List<String> signingAlgorithms, boolean autoRedirect, String autoRedirectPath) {
        public Token {
            signingAlgorithms = List.copyOf(signingAlgorithms);
        }
    }

    /**
     * {@code access} (Wharf).
     *
     * @param groups group name to user names
     * @param adminGroup members may do everything everywhere; empty for none
     * @param anonymousPull repository patterns anyone may pull without credentials
     * @param rules the permission rules; empty means every authenticated user may do everything
     * @param failedLogins how failed logins from one address are slowed down
     */
    public record Access(Map<String, List<String>> groups, String adminGroup, List<String> anonymousPull,
            List<Rule> rules, FailedLogins failedLogins) {
        public Access {
            var copy = new java.util.LinkedHashMap<String, List<String>>();
            groups.forEach((name, users) -> copy.put(name, List.copyOf(users)));
            groups = java.util.Collections.unmodifiableMap(copy);
            anonymousPull = List.copyOf(anonymousPull);
            rules = List.copyOf(rules);
        }

        /** No rules: every authenticated user may do everything. */
        public static Access none() {
            return new Access(Map.of(), "", List.of(), List.of(), FailedLogins.defaults());
        }

        /** Whether any rule, group, admin group or anonymous pattern is configured. */
        public boolean configured() {
            return !rules.isEmpty() || !anonymousPull.isEmpty() || !adminGroup.isEmpty();
        }
    }

    /**
     * One permission rule: on repositories matching any pattern, who may do what. A subject is a user
     * name, {@code group:<name>}, or {@code *} for every authenticated user.
     *
     * @param repositories glob patterns: {@code *} within one path component, {@code **} across components
     * @param pull subjects that may pull
     * @param push subjects that may push (and so pull)
     * @param delete subjects that may delete
     */
    public record Rule(List<String> repositories, List<String> pull, List<String> push, List<String> delete) {
        public Rule {
            repositories = List.copyOf(repositories);
            pull = List.copyOf(pull);
            push = List.copyOf(push);
            delete = List.copyOf(delete);
        }
    }

    /**
     * {@code access.failedlogins}: after {@code free} failures from one address, each further attempt must
     * wait {@code delay}, doubling per failure up to {@code maxDelay}; forgotten after {@code maxDelay} of quiet.
     *
     * @param free failures allowed at full speed
     * @param delay the first wait
     * @param maxDelay the longest wait
     */
    public record FailedLogins(int free, Duration delay, Duration maxDelay) {
        public static FailedLogins defaults() {
            return new FailedLogins(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    /**
     * {@code tokenserver} (Wharf): the built-in token endpoint at {@code /auth/token}.
     *
     * @param htpasswd the users, a bcrypt htpasswd file
     * @param key the PEM EC private key tokens are signed with; created when missing
     * @param issuer the {@code iss} of issued tokens
     * @param service the {@code aud} of issued tokens
     * @param expiration how long an access token is valid
     * @param refreshExpiration how long a refresh token (for {@code docker login}) is valid
     */
    public record TokenServer(Path htpasswd, Path key, String issuer, String service, Duration expiration,
            Duration refreshExpiration) {
    }
}
