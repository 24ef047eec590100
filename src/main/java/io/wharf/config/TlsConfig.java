package io.wharf.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code http.tls}: the server's certificate and key (PEM files, as Distribution reads them) and the
 * handshake's settings.
 *
 * @param certificate the PEM certificate chain, leaf first; empty for plain HTTP
 * @param key the PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC); present exactly when {@code certificate} is
 * @param clientCas PEM files of the CAs whose client certificates are accepted; empty for no mutual TLS
 * @param clientAuth {@link #REQUIRE_AND_VERIFY} (Distribution's default) or {@link #VERIFY_IF_GIVEN}
 * @param minimumTls {@code tls1.0} to {@code tls1.3}; Distribution's default is {@code tls1.2}
 * @param cipherSuites IANA names of the allowed suites; empty for the JDK's defaults
 */
public record TlsConfig(Optional<Path> certificate, Optional<Path> key, List<Path> clientCas, String clientAuth,
        String minimumTls, List<String> cipherSuites) {

    public static final String REQUIRE_AND_VERIFY = "require-and-verify-client-cert";
    public static final String VERIFY_IF_GIVEN = "verify-client-cert-if-given";
    /** The protocol names {@code minimumtls} accepts, oldest first. */
    public static final List<String> VERSIONS = List.of("tls1.0", "tls1.1", "tls1.2", "tls1.3");

    public TlsConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        clientCas = List.copyOf(clientCas);
        cipherSuites = List.copyOf(cipherSuites);
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("http.tls needs both certificate and key");
        }
        if (!VERSIONS.contains(minimumTls)) {
            throw new IllegalArgumentException("unknown minimumtls " + minimumTls);
        }
    }

    /** Plain HTTP. */
    public static TlsConfig none() {
        return new TlsConfig(Optional.empty(), Optional.empty(), List.of(), REQUIRE_AND_VERIFY, "tls1.2", List.of());
    }

    /** TLS with a certificate and key and Distribution's defaults for everything else. */
    public static TlsConfig of(Path certificate, Path key) {
        return new TlsConfig(Optional.of(certificate), Optional.of(key), List.of(), REQUIRE_AND_VERIFY, "tls1.2",
                List.of());
    }

    /** Whether the server speaks TLS. */
    public boolean enabled() {
        return certificate.isPresent();
    }

    /** This configuration requiring (or, with {@link #VERIFY_IF_GIVEN}, accepting) client certificates. */
    public TlsConfig withClientCas(List<Path> cas, String mode) {
        return new TlsConfig(certificate, key, cas, mode, minimumTls, cipherSuites);
    }

    /** The JSSE protocol names from {@code minimumTls} up, such as {@code TLSv1.2, TLSv1.3}. */
    public List<String> protocols() {
        return VERSIONS.subList(VERSIONS.indexOf(minimumTls), VERSIONS.size()).stream()
                .map(v -> "TLSv" + v.substring(3)).toList();
    }
}
