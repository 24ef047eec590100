package io.wharf.config;

import io.wharf.config.AuthConfig.Access;
import io.wharf.config.AuthConfig.FailedLogins;
import io.wharf.config.AuthConfig.Htpasswd;
import io.wharf.config.AuthConfig.Rule;
import io.wharf.config.AuthConfig.Token;
import io.wharf.config.AuthConfig.TokenServer;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds Distribution's {@code auth} (exactly one provider: {@code htpasswd} or {@code token}) and Wharf's
 * {@code access} and {@code tokenserver}, checking that they fit together.
 */
final class AuthBinding {

    /** The {@code alg} values Distribution accepts by default: every asymmetric JWS algorithm. */
    static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
            "PS256", "PS384", "PS512", "EdDSA", "Ed25519");
    private static final Set<String> PROVIDERS = Set.of("htpasswd", "token");

    private AuthBinding() {
    }

    static AuthConfig bind(ConfigTree tree, Diagnostics diagnostics) {
        checkProviders(tree, diagnostics);
        Optional<Htpasswd> htpasswd = tree.has("auth.htpasswd") ? htpasswd(tree, diagnostics) : Optional.empty();
        Optional<TokenServer> server = tree.has("tokenserver") ? tokenServer(tree, diagnostics) : Optional.empty();
        Optional<Token> token = tree.has("auth.token") ? token(tree, server.isPresent(), diagnostics)
                : Optional.empty();
        Access access = access(tree, diagnostics);
        AuthConfig auth = new AuthConfig(htpasswd, token, access, server);
        checkCombination(auth, tree, diagnostics);
        return auth;
    }

    private static void checkProviders(ConfigTree tree, Diagnostics diagnostics) {
        List<String> providers = List.copyOf(tree.entries("auth").keySet());
        if (providers.size() > 1) {
            diagnostics.error("auth: exactly one auth provider may be configured, found " + String.join(", ",
                    providers));
        }
        providers.stream().filter(p -> !PROVIDERS.contains(p)).forEach(p -> diagnostics.error("auth." + p,
                "auth provider " + p + " is not supported by Wharf (supported: htpasswd, token)",
                tree.entries("auth").get(p)));
    }

    private static Optional<Htpasswd> htpasswd(ConfigTree tree, Diagnostics diagnostics) {
        String realm = required(tree, "auth.htpasswd.realm", diagnostics);
        String path = required(tree, "auth.htpasswd.path", diagnostics);
        return path.isEmpty() ? Optional.empty() : Optional.of(new Htpasswd(realm, Path.of(path)));
    }

    private static Optional<Token> token(ConfigTree tree, boolean ownServer, Diagnostics diagnostics) {
        boolean autoRedirect = tree.bool("auth.token.autoredirect", false);
        String realm = autoRedirect || ownServer ? tree.string("auth.token.realm", "")
                : required(tree, "auth.token.realm", diagnostics);
        String service = ownServer ? tree.string("auth.token.service", "") : required(tree, "auth.token.service",
                diagnostics);
        String issuer = ownServer ? tree.string("auth.token.issuer", "") : required(tree, "auth.token.issuer",
                diagnostics);
        Optional<Path> bundle = TlsBinding.path(tree, "auth.token.rootcertbundle");
        Optional<Path> jwks = TlsBinding.path(tree, "auth.token.jwks");
        if (bundle.isEmpty() && jwks.isEmpty() && !ownServer) {
            diagnostics.error("auth.token: set rootcertbundle or jwks (the keys tokens are verified with), "
                    + "or configure tokenserver to issue tokens yourself");
        }
        List<String> algorithms = tree.strings("auth.token.signingalgorithms");
        algorithms.stream().filter(a -> !ASYMMETRIC.contains(a)).forEach(a -> diagnostics.error(
                "auth.token.signingalgorithms", "\"" + a + "\" is not allowed; use asymmetric algorithms from "
                        + String.join(", ", ASYMMETRIC.stream().sorted().toList()),
                tree.node("auth.token.signingalgorithms").orElseThrow()));
        return Optional.of(new Token(realm, service, issuer, bundle, jwks, algorithms, autoRedirect,
                tree.string("auth.token.autoredirectpath", "/auth/token")));
    }

    private static Optional<TokenServer> tokenServer(ConfigTree tree, Diagnostics diagnostics) {
        String htpasswd = required(tree, "tokenserver.htpasswd", diagnostics);
        String key = required(tree, "tokenserver.key", diagnostics);
        if (htpasswd.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        String service = tree.string("tokenserver.service", tree.string("auth.token.service", "wharf"));
        String issuer = tree.string("tokenserver.issuer", tree.string("auth.token.issuer", "wharf"));
        return Optional.of(new TokenServer(Path.of(htpasswd), Path.of(key), issuer, service,
                positive(tree, "tokenserver.expiration", Duration.ofMinutes(5), diagnostics),
                positive(tree, "tokenserver.refreshexpiration", Duration.ofDays(30), diagnostics)));
    }

    private static Access access(ConfigTree tree, Diagnostics diagnostics) {
        var groups = new LinkedHashMap<String, List<String>>();
        tree.entries("access.groups").forEach((name, users) -> Scalars.strings(users)
                .ifPresent(list -> groups.put(name, list)));
        String admin = tree.string("access.admingroup", "");
        if (!admin.isEmpty() && !groups.containsKey(admin)) {
            diagnostics.error("access.admingroup", "names the group \"" + admin + "\", which access.groups does "
                    + "not define", tree.node("access.admingroup").orElseThrow());
        }
        List<Rule> rules = rules(tree, groups, diagnostics);
        FailedLogins defaults = FailedLogins.defaults();
        FailedLogins failed = new FailedLogins(Math.max(0, tree.integer("access.failedlogins.free", defaults.free())),
                positive(tree, "access.failedlogins.delay", defaults.delay(), diagnostics),
                positive(tree, "access.failedlogins.maxdelay", defaults.maxDelay(), diagnostics));
        return new Access(groups, admin, tree.strings("access.anonymous.pull"), rules, failed);
    }

    private static List<Rule> rules(ConfigTree tree, Map<String, List<String>> groups, Diagnostics diagnostics) {
        var rules = new ArrayList<Rule>();
        if (!(tree.node("access.rules").orElse(null) instanceof Sequence sequence)) {
            return rules;
        }
        for (YamlNode item : sequence.items()) {
            if (!(item instanceof Mapping rule)) {
                continue;
            }
            Rule r = new Rule(list(rule, "repositories"), list(rule, "pull"), list(rule, "push"),
                    list(rule, "delete"));
            if (r.repositories().isEmpty()) {
                diagnostics.error("access.rules", "a rule needs repositories: [patterns]", item);
            }
            List.of(r.pull(), r.push(), r.delete()).forEach(subjects -> subjects.stream()
                    .filter(s -> s.startsWith("group:") && !groups.containsKey(s.substring(6)))
                    .forEach(s -> diagnostics.error("access.rules", "names " + s + ", which access.groups "
                            + "does not define", item)));
            rules.add(r);
        }
        return rules;
    }

    private static List<String> list(Mapping mapping, String key) {
        return mapping.get(key).flatMap(Scalars::strings).orElse(List.of());
    }

    private static void checkCombination(AuthConfig auth, ConfigTree tree, Diagnostics diagnostics) {
        if (auth.tokenServer().isPresent() && auth.htpasswd().isPresent()) {
            diagnostics.error("tokenserver: cannot be combined with auth.htpasswd; the token server takes its "
                    + "users from tokenserver.htpasswd and the registry then accepts its tokens");
        }
        boolean hasAccess = tree.has("access.rules") || tree.has("access.anonymous") || tree.has("access.admingroup");
        if (hasAccess && auth.htpasswd().isEmpty() && auth.tokenServer().isEmpty()) {
            diagnostics.error("access: rules need users: configure auth.htpasswd or tokenserver (with an external "
                    + "token issuer, the issuer decides access)");
        }
    }

    private static String required(ConfigTree tree, String key, Diagnostics diagnostics) {
        String value = tree.string(key, "");
        if (value.isBlank()) {
            diagnostics.error(key + " is required");
        }
        return value;
    }

    private static Duration positive(ConfigTree tree, String key, Duration fallback, Diagnostics diagnostics) {
        Duration d = tree.duration(key, fallback);
        if (d.isNegative() || d.isZero()) {
            diagnostics.error(key, "must be a positive duration", tree.node(key).orElseThrow());
            return fallback;
        }
        return d;
    }
}
