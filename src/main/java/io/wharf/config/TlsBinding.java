package io.wharf.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds {@code http.tls}, {@code http.http2} and {@code http.cors}. Files are read at start, not here. */
final class TlsBinding {

    private static final Set<String> UNVERIFIED_CLIENT_AUTH = Set.of("request-client-cert",
            "require-any-client-cert");
    private static final Set<String> CLIENT_AUTH = Set.of(TlsConfig.REQUIRE_AND_VERIFY, TlsConfig.VERIFY_IF_GIVEN);

    private TlsBinding() {
    }

    static TlsConfig tls(ConfigTree tree, Diagnostics diagnostics) {
        Optional<Path> certificate = path(tree, "http.tls.certificate");
        Optional<Path> key = path(tree, "http.tls.key");
        if (certificate.isPresent() != key.isPresent()) {
            diagnostics.error("http.tls: certificate and key must both be set (PEM files), found only "
                    + (certificate.isPresent() ? "certificate" : "key"));
            return TlsConfig.none();
        }
        List<Path> clientCas = tree.strings("http.tls.clientcas").stream().map(Path::of).toList();
        return new TlsConfig(certificate, key, clientCas, clientAuth(tree, diagnostics),
                minimumTls(tree, diagnostics), tree.strings("http.tls.ciphersuites"));
    }

    private static String clientAuth(ConfigTree tree, Diagnostics diagnostics) {
        String mode = tree.string("http.tls.clientauth", TlsConfig.REQUIRE_AND_VERIFY);
        if (CLIENT_AUTH.contains(mode)) {
            return mode;
        }
        String why = UNVERIFIED_CLIENT_AUTH.contains(mode)
                ? "accepting client certificates without verifying them is not supported by Wharf; use "
                : "must be one of ";
        diagnostics.error("http.tls.clientauth", why + TlsConfig.REQUIRE_AND_VERIFY + " or "
                + TlsConfig.VERIFY_IF_GIVEN + ", got \"" + mode + "\"", tree.node("http.tls.clientauth").orElseThrow());
        return TlsConfig.REQUIRE_AND_VERIFY;
    }

    private static String minimumTls(ConfigTree tree, Diagnostics diagnostics) {
        String min = tree.string("http.tls.minimumtls", "tls1.2");
        if (TlsConfig.VERSIONS.contains(min)) {
            return min;
        }
        diagnostics.error("http.tls.minimumtls", "must be one of " + String.join(", ", TlsConfig.VERSIONS)
                + ", got \"" + min + "\"", tree.node("http.tls.minimumtls").orElseThrow());
        return "tls1.2";
    }

    static CorsConfig cors(ConfigTree tree) {
        List<String> headers = tree.has("http.cors.allowedheaders") ? tree.strings("http.cors.allowedheaders")
                : CorsConfig.DEFAULT_HEADERS;
        return new CorsConfig(tree.strings("http.cors.allowedorigins"), headers,
                tree.duration("http.cors.maxage", Duration.ofMinutes(10)),
                tree.bool("http.cors.allowcredentials", false));
    }

    static Optional<Path> path(ConfigTree tree, String key) {
        String value = tree.string(key, "");
        return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }
}
