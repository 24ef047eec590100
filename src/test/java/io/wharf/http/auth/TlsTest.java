package io.wharf.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.auth.TestPki;
import io.wharf.config.TlsConfig;
import io.wharf.http.TestRegistry;
import io.wharf.spec.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with certificates made in the test: HTTP/2, renewal without restart, mutual TLS, refusals. */
class TlsTest {
    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private TestPki.Issued ca;
    private TestPki.Files server;

    @BeforeEach
    void certificates() throws Exception {
        ca = pki.ca("Wharf Test CA");
        server = pki.server(ca, TestPki.ec()).written(dir, "server");
    }

    private TestRegistry start(TlsConfig tls, boolean http2Disabled) throws Exception {
        return TestRegistry.start(dir.resolve("data"), c -> c.withHttp(new io.wharf.config.RegistryConfig.Http(
                c.http().addr(), c.http().net(), c.http().prefix(), c.http().host(), c.http().secret(),
                c.http().relativeUrls(), c.http().headers(), c.http().drainTimeout(), tls, http2Disabled,
                c.http().cors())));
    }

    private SSLContext context(Optional<TestPki.Issued> clientCert, String... protocols) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert.isPresent()) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", clientCert.get().keys().getPrivate(), new char[0],
                    new X509Certificate[] {clientCert.get().certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private HttpResponse<String> get(TestRegistry r, SSLContext ctx, String... protocols) throws Exception {
        SSLParameters p = ctx.getDefaultSSLParameters();
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        return get(r, ctx, p);
    }

    private HttpResponse<String> get(TestRegistry r, SSLContext ctx, SSLParameters p) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).sslParameters(p);
        try (HttpClient client = b.build()) {
            return client.send(HttpRequest.newBuilder(r.base().resolve("/v2/")).timeout(Duration.ofSeconds(20))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void https_speaksHttp2ByAlpn_orOnlyHttp11WhenDisabled() throws Exception {
        try (TestRegistry r = start(TlsConfig.of(server.certificate(), server.key()), false)) {
            var response = get(r, context(Optional.empty()));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.base().getScheme()).isEqualTo("https");
        }
        try (TestRegistry r = start(TlsConfig.of(server.certificate(), server.key()), true)) {
            assertThat(get(r, context(Optional.empty())).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void overHttp2_blobAndManifestAnswers_carryTheirDigestAndMediaTypeHeaders() throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.compute(Digest.Algorithm.SHA256, config).toString();
        String manifestType = "application/vnd.oci.image.manifest.v1+json";
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + manifestType + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        String manifestDigest = Digest.compute(Digest.Algorithm.SHA256, manifest).toString();
        try (TestRegistry r = start(TlsConfig.of(server.certificate(), server.key()), false);
                HttpClient client = HttpClient.newBuilder().sslContext(context(Optional.empty()))
                        .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build()) {
            var pushed = client.send(HttpRequest.newBuilder(r.base().resolve("/v2/app/blobs/uploads/?digest="
                    + configDigest)).POST(HttpRequest.BodyPublishers.ofByteArray(config)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(pushed.statusCode()).isEqualTo(201);
            var put = client.send(HttpRequest.newBuilder(r.base().resolve("/v2/app/manifests/v1"))
                    .header("Content-Type", manifestType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).isEqualTo(201);

            for (int i = 0; i < 2; i++) {
                var blob = client.send(HttpRequest.newBuilder(r.base().resolve("/v2/app/blobs/" + configDigest))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(blob.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(blob.body()).isEqualTo(config);
                assertThat(blob.headers().firstValue("docker-content-digest")).contains(configDigest);
                assertThat(blob.headers().firstValue("etag")).contains("\"" + configDigest + "\"");
                assertThat(blob.headers().firstValue("content-type")).contains("application/octet-stream");
                assertThat(blob.headers().firstValue("accept-ranges")).contains("bytes");

                var got = client.send(HttpRequest.newBuilder(r.base().resolve("/v2/app/manifests/v1"))
                        .header("Accept", manifestType).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(got.body()).isEqualTo(manifest);
                assertThat(got.headers().firstValue("docker-content-digest")).contains(manifestDigest);
                assertThat(got.headers().firstValue("etag")).contains("\"" + manifestDigest + "\"");
                assertThat(got.headers().firstValue("content-type")).contains(manifestType);
            }
        }
    }

    @Test
    void plainHttpToTheTlsPort_getsAClearAnswerNotAHang() throws Exception {
        try (TestRegistry r = start(TlsConfig.of(server.certificate(), server.key()), false);
                Socket s = new Socket("127.0.0.1", r.server().port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /v2/ HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("HTTP request to an HTTPS server", "https://");
        }
    }

    @Test
    void renewedCertificate_isUsedWithoutRestart() throws Exception {
        try (TestRegistry r = start(TlsConfig.of(server.certificate(), server.key()), false)) {
            X509Certificate before = peer(r);
            assertThat(r.server().reloadCertificate()).as("nothing changed").isFalse();

            TestPki.Files renewed = pki.server(ca, TestPki.rsa()).written(dir.resolve("renewed"), "server");
            Files.copy(renewed.certificate(), server.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.key(), server.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(r.server().reloadCertificate()).isTrue();

            X509Certificate after = peer(r);
            assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
            assertThat(after.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        }
    }

    private X509Certificate peer(TestRegistry r) throws Exception {
        var response = get(r, context(Optional.empty()));
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    @Test
    void mismatchedOrUnreadableKeyAndCertificate_stopTheStartNamingTheFile() throws Exception {
        TestPki.Files other = pki.server(ca, TestPki.ec()).written(dir.resolve("other"), "other");
        Files.createDirectories(dir.resolve("other"));
        assertThatThrownBy(() -> start(TlsConfig.of(server.certificate(), other.key()), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.key().toString()).hasMessageContaining("does not belong");
        Path missing = dir.resolve("missing.crt");
        assertThatThrownBy(() -> start(TlsConfig.of(missing, server.key()), false))
                .hasMessageStartingWith(missing.toString());
    }

    @Test
    void mutualTls_requiresAClientCertificateFromTheClientCas() throws Exception {
        Path caFile = ca.written(dir, "ca").certificate();
        TlsConfig tls = TlsConfig.of(server.certificate(), server.key()).withClientCas(List.of(caFile),
                TlsConfig.REQUIRE_AND_VERIFY);
        try (TestRegistry r = start(tls, false)) {
            TestPki.Issued client = pki.leaf(ca, "ci-robot", TestPki.ec(),
                    java.time.Instant.now().plusSeconds(3600));
            assertThat(get(r, context(Optional.of(client))).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(r, context(Optional.empty()))).isInstanceOf(java.io.IOException.class);
            TestPki.Issued stranger = pki.leaf(pki.ca("Other CA"), "x", TestPki.ec(),
                    java.time.Instant.now().plusSeconds(3600));
            assertThatThrownBy(() -> get(r, context(Optional.of(stranger)))).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void cipherSuites_limitTls12_andLeaveTls13On_asGoDoes() throws Exception {
        String allowed = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        TlsConfig tls = new TlsConfig(Optional.of(server.certificate()), Optional.of(server.key()), List.of(),
                TlsConfig.REQUIRE_AND_VERIFY, "tls1.2", List.of(allowed));
        try (TestRegistry r = start(tls, true)) {
            SSLContext ctx = context(Optional.empty());
            assertThat(get(r, ctx, "TLSv1.3").statusCode()).isEqualTo(200);
            SSLParameters listed = ctx.getDefaultSSLParameters();
            listed.setProtocols(new String[] {"TLSv1.2"});
            listed.setCipherSuites(new String[] {allowed});
            assertThat(get(r, ctx, listed).statusCode()).isEqualTo(200);
            SSLParameters other = ctx.getDefaultSSLParameters();
            other.setProtocols(new String[] {"TLSv1.2"});
            other.setCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            assertThatThrownBy(() -> get(r, ctx, other)).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void minimumTls13_refusesTls12Clients() throws Exception {
        TlsConfig tls = new TlsConfig(Optional.of(server.certificate()), Optional.of(server.key()), List.of(),
                TlsConfig.REQUIRE_AND_VERIFY, "tls1.3", List.of());
        try (TestRegistry r = start(tls, false)) {
            assertThat(get(r, context(Optional.empty()), "TLSv1.3").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get(r, context(Optional.empty()), "TLSv1.2"))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
