package io.wharf.server;

import io.wharf.auth.HtpasswdFile;
import io.wharf.auth.PemFiles;
import io.wharf.auth.TrustedKeys;
import io.wharf.config.AuthConfig;
import io.wharf.config.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a configuration names that {@code serve} reads at start (TLS certificates and keys, client CAs, htpasswd
 * files, token keys and trust bundles), read the way {@code serve} reads them but without creating what is missing,
 * so that {@code config check} refuses what {@code serve} would refuse.
 */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The problems {@code serve} would stop at, one line each; empty when every named file reads. */
    static List<String> problems(RegistryConfig config) {
        List<String> problems = new ArrayList<>();
        var tls = config.http().tls();
        if (tls.enabled()) {
            check(problems, "http.tls", () -> TlsConnector.keyStore(tls));
            if (!tls.clientCas().isEmpty()) {
                check(problems, "http.tls.clientcas", () -> TlsConnector.trustStore(tls.clientCas()));
            }
        }
        AuthConfig auth = config.auth();
        auth.htpasswd().ifPresent(h -> htpasswd(problems, "auth.htpasswd.path", h.path()));
        auth.token().ifPresent(t -> {
            t.rootCertBundle().ifPresent(b -> check(problems, "auth.token.rootcertbundle",
                    () -> TrustedKeys.none().withRootBundle(b)));
            t.jwks().ifPresent(j -> check(problems, "auth.token.jwks", () -> TrustedKeys.none().withJwks(j)));
        });
        auth.tokenServer().ifPresent(ts -> {
            htpasswd(problems, "tokenserver.htpasswd", ts.htpasswd());
            if (Files.exists(ts.key())) {
                check(problems, "tokenserver.key", () -> PemFiles.privateKey(ts.key()));
            }
        });
        return problems;
    }

    /** A missing htpasswd file is created by {@code serve} (as by Distribution); an existing one must read. */
    private static void htpasswd(List<String> problems, String key, Path path) {
        if (Files.exists(path)) {
            check(problems, key, () -> new HtpasswdFile(path));
        }
    }

    private static void check(List<String> problems, String key, ReadStep step) {
        try {
            step.read();
        } catch (RuntimeException e) {
            problems.add(key + ": " + Optional.ofNullable(e.getMessage()).orElse(e.toString()));
        }
    }

    @FunctionalInterface
    private interface ReadStep {
        Object read();
    }
}
