package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.auth.AccessController;
import io.wharf.auth.AccessRules;
import io.wharf.auth.HtpasswdAccess;
import io.wharf.auth.HtpasswdFile;
import io.wharf.auth.LoginThrottle;
import io.wharf.auth.PasswordCheck;
import io.wharf.auth.TokenAccess;
import io.wharf.auth.TokenIssuer;
import io.wharf.auth.TokenService;
import io.wharf.auth.TokenVerifier;
import io.wharf.auth.TrustedKeys;
import io.wharf.auth.UiLogins;
import io.wharf.config.AuthConfig;
import io.wharf.http.TokenEndpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the access controller (open, htpasswd or token) and, when configured, Wharf's token endpoint.
 *
 * @param controller decides every registry request
 * @param tokenEndpoint the built-in token server's endpoint, or empty
 * @param logins who may log in to the web UI, checked against the same users and rules
 */
record AccessWiring(AccessController controller, Optional<TokenEndpoint> tokenEndpoint, UiLogins logins) {
    private static final Logger LOG = LoggerFactory.getLogger(AccessWiring.class);

    /**
     * @throws IllegalArgumentException naming the file when an htpasswd file, key, certificate bundle or key set
     *     cannot be used
     */
    static AccessWiring of(AuthConfig auth, String prefix, ObjectMapper json, Clock clock) {
        return of(auth, prefix, json, clock, new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
    }

    /** As {@link #of(AuthConfig, String, ObjectMapper, Clock)}, counting logins in {@code meters}. */
    static AccessWiring of(AuthConfig auth, String prefix, ObjectMapper json, Clock clock,
            io.micrometer.core.instrument.MeterRegistry meters) {
        if (auth.open()) {
            return new AccessWiring(AccessController.open(), Optional.empty(), UiLogins.open());
        }
        AccessRules rules = new AccessRules(auth.access());
        LoginThrottle throttle = new LoginThrottle(auth.access().failedLogins(), clock);
        if (auth.htpasswd().isPresent()) {
            AuthConfig.Htpasswd h = auth.htpasswd().get();
            if (!auth.access().anonymousPull().isEmpty()) {
                LOG.warn("access.anonymous.pull with htpasswd auth: podman, skopeo, containerd and curl pull "
                        + "anonymously, but Docker's client does not (after a Basic challenge it sends nothing without "
                        + "credentials; 'docker pull' fails until 'docker login'). For anonymous docker pulls use the "
                        + "built-in token server (tokenserver section) instead of auth.htpasswd: see docs/AUTH.md");
            }
            PasswordCheck passwords = new PasswordCheck(users(h.path()), throttle, meters);
            return new AccessWiring(new HtpasswdAccess(h.realm(), passwords, rules), Optional.empty(),
                    UiLogins.passwords(passwords, rules));
        }
        return token(auth, rules, throttle, prefix, json, clock, meters);
    }

    private static AccessWiring token(AuthConfig auth, AccessRules rules, LoginThrottle throttle, String prefix,
            ObjectMapper json, Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
        TrustedKeys trust = TrustedKeys.none();
        Set<String> issuers = new LinkedHashSet<>();
        Optional<AuthConfig.Token> external = auth.token();
        if (external.isPresent()) {
            AuthConfig.Token t = external.get();
            if (t.rootCertBundle().isPresent()) {
                trust = trust.withRootBundle(t.rootCertBundle().get());
            }
            if (t.jwks().isPresent()) {
                trust = trust.withJwks(t.jwks().get());
            }
            if (!t.issuer().isEmpty()) {
                issuers.add(t.issuer());
            }
        }
        Optional<TokenEndpoint> endpoint = Optional.empty();
        UiLogins logins = UiLogins.externalOnly(rules);
        String service = external.map(AuthConfig.Token::service).filter(s -> !s.isEmpty()).orElse("");
        if (auth.tokenServer().isPresent()) {
            AuthConfig.TokenServer ts = auth.tokenServer().get();
            TokenIssuer issuer = TokenIssuer.load(ts.key(), ts.issuer(), ts.service(), clock);
            LOG.info("token server: signing key {} (kid {}), endpoint {}/auth/token", ts.key(), issuer.keyId(),
                    prefix);
            trust = trust.withKey(issuer.keyId(), issuer.publicKey());
            issuers.add(ts.issuer());
            service = service.isEmpty() ? ts.service() : service;
            TokenVerifier refresh = new TokenVerifier(Set.of(ts.issuer()), "refresh:" + ts.service(),
                    TrustedKeys.none().withKey(issuer.keyId(), issuer.publicKey()), Set.of(), clock);
            PasswordCheck passwords = new PasswordCheck(users(ts.htpasswd()), throttle, meters);
            TokenService tokens = new TokenService(issuer, refresh, passwords, rules, ts.expiration(),
                    ts.refreshExpiration());
            logins = UiLogins.passwords(passwords, rules);
            endpoint = Optional.of(new TokenEndpoint(tokens, json, prefix));
        }
        if (trust.isEmpty()) {
            throw new IllegalArgumentException("auth.token: no trusted keys (rootcertbundle, jwks or tokenserver)");
        }
        Set<String> algorithms = Set.copyOf(external.map(AuthConfig.Token::signingAlgorithms).orElse(java.util.List.of()));
        TokenVerifier verifier = new TokenVerifier(issuers, service, trust, algorithms, clock);
        boolean derivedRealm = external.map(t -> t.autoRedirect() || t.realm().isEmpty()).orElse(true);
        String realm = derivedRealm ? "" : external.get().realm();
        String realmPath = external.filter(AuthConfig.Token::autoRedirect).map(AuthConfig.Token::autoRedirectPath)
                .orElse(prefix + "/auth/token");
        Optional<AccessRules> local = auth.tokenServer().isPresent() ? Optional.of(rules) : Optional.empty();
        return new AccessWiring(new TokenAccess(verifier, realm, realmPath, service, local), endpoint, logins);
    }

    /** Opens an htpasswd file, first creating it with one generated user when missing, as Distribution does. */
    private static HtpasswdFile users(Path path) {
        HtpasswdFile.createIfMissing(path).ifPresent(password -> LOG.warn(
                "htpasswd file {} was missing: created it with user \"{}\" and password \"{}\" (shown only now)",
                path, HtpasswdFile.DEFAULT_USER, password));
        return new HtpasswdFile(path);
    }
}
