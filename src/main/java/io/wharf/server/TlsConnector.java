package io.wharf.server;

import io.wharf.auth.PemFiles;
import io.wharf.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS connector: the certificate and key from PEM files, HTTP/2 by ALPN (unless disabled), mutual TLS with
 * {@code clientcas}, the minimum protocol and cipher suites; a plain-HTTP request gets a 400 saying to use
 * HTTPS. {@link #reloadIfChanged()} swaps in a renewed certificate without a restart.
 */
final class TlsConnector {
    private static final Logger LOG = LoggerFactory.getLogger(TlsConnector.class);
    private static final char[] PASSWORD = new char[0];
    /** TLS 1.3's suites, which {@code http.tls.ciphersuites} does not limit (Go's crypto/tls cannot). */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final TlsConfig tls;
    private final SslContextFactory.Server ssl;
    private volatile String stamp;

    private TlsConnector(TlsConfig tls, SslContextFactory.Server ssl, String stamp) {
        this.tls = tls;
        this.ssl = ssl;
        this.stamp = stamp;
    }

    /**
     * Adds a TLS connector to the server.
     *
     * @throws IllegalArgumentException naming the file when a certificate or key is unreadable or they do not match
     */
    static TlsConnector create(Server server, HttpConfiguration http, TlsConfig tls, boolean http2Disabled,
            List<ServerConnector> out) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore(tls));
        ssl.setKeyStorePassword("");
        ssl.setIncludeProtocols(tls.protocols().toArray(String[]::new));
        if (!tls.cipherSuites().isEmpty()) {
            // The list limits TLS 1.2 and older; TLS 1.3's suites stay on, as in Go, which Distribution's list
            // never touches: a configuration written for Distribution must not turn TLS 1.3 off.
            java.util.Set<String> suites = new java.util.LinkedHashSet<>(tls.cipherSuites());
            suites.addAll(TLS13_SUITES);
            ssl.setIncludeCipherSuites(suites.toArray(String[]::new));
        }
        if (!tls.clientCas().isEmpty()) {
            ssl.setTrustStore(trustStore(tls.clientCas()));
            ssl.setNeedClientAuth(tls.clientAuth().equals(TlsConfig.REQUIRE_AND_VERIFY));
            ssl.setWantClientAuth(true);
        }
        if (!http2Disabled) {
            // HTTP/2 forbids some suites; Jetty's comparator puts the allowed ones first.
            ssl.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);
        }
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory h1 = WharfServer.http1(https);
        List<ConnectionFactory> factories = new ArrayList<>();
        String next;
        if (http2Disabled) {
            next = h1.getProtocol();
        } else {
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", h1.getProtocol());
            alpn.setDefaultProtocol(h1.getProtocol());
            factories.add(alpn);
            factories.add(new HTTP2ServerConnectionFactory(https));
            next = alpn.getProtocol();
        }
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, next);
        factories.addAll(0, List.of(new DetectorConnectionFactory(tlsFactory), new PlainHttpRefusal(), tlsFactory));
        factories.add(h1);
        ServerConnector connector = new ServerConnector(server, factories.toArray(ConnectionFactory[]::new));
        out.add(connector);
        return new TlsConnector(tls, ssl, stamp(tls));
    }

    /**
     * Reads the certificate and key again when either file changed, and uses them for new connections.
     *
     * @return whether a new certificate was loaded
     * @throws IllegalArgumentException when the changed files are unusable; the old certificate stays in use
     */
    boolean reloadIfChanged() throws Exception {
        String now = stamp(tls);
        if (Objects.equals(now, stamp)) {
            return false;
        }
        KeyStore fresh = keyStore(tls);
        ssl.reload(f -> f.setKeyStore(fresh));
        stamp = now;
        LOG.info("TLS certificate {} reloaded", tls.certificate().orElseThrow());
        return true;
    }

    static KeyStore keyStore(TlsConfig tls) {
        Path certFile = tls.certificate().orElseThrow();
        Path keyFile = tls.key().orElseThrow();
        List<X509Certificate> chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        if (!PemFiles.matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException(keyFile + ": this private key does not belong to the certificate in "
                    + certFile);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("wharf", key, PASSWORD, chain.toArray(X509Certificate[]::new));
            return ks;
        } catch (Exception e) {
            throw new IllegalArgumentException(certFile + ": cannot be used as a TLS certificate: " + e.getMessage(), e);
        }
    }

    static KeyStore trustStore(List<Path> cas) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Path file : cas) {
                for (X509Certificate c : PemFiles.certificates(file)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
            }
            return ks;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("http.tls.clientcas: " + e.getMessage(), e);
        }
    }

    private static String stamp(TlsConfig tls) {
        StringBuilder s = new StringBuilder();
        for (Path p : List.of(tls.certificate().orElseThrow(), tls.key().orElseThrow())) {
            try {
                s.append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append('/')
                        .append(Arrays.hashCode(Files.readAllBytes(p))).append(';');
            } catch (java.io.IOException e) {
                s.append("unreadable;");
            }
        }
        return s.toString();
    }
}
