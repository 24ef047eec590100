package io.wharf.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    @TempDir
    Path dir;

    /** BouncyCastle writes RSA keys as PKCS#1 and EC keys as SEC1, as openssl's traditional format does. */
    private Path traditional(KeyPair keys, String name) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(keys);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, out.toString());
        return file;
    }

    /** Written by {@code openssl ecparam -name prime256v1 -genkey -noout} (SEC1 with the curve named), a test key. */
    private static final String OPENSSL_SEC1 = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEICGYCugSapXwJB4PpOvlcA1OYKvpnoTW8ToNjwRY5EZLoAoGCCqGSM49
            AwEHoUQDQgAE69B7Mn01N9St3tkQILwcJhKu5ZHWv5QE88c1HGhXOzAcfQJ8WCcC
            ui78dm5eLRJXawv3bDHDkQfRp8320cHqCQ==
            -----END EC PRIVATE KEY-----
            """;
    /** Its public key, from {@code openssl ec -pubout}. */
    private static final String OPENSSL_SEC1_PUBLIC = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE69B7Mn01N9St3tkQILwcJhKu5ZHW"
            + "v5QE88c1HGhXOzAcfQJ8WCcCui78dm5eLRJXawv3bDHDkQfRp8320cHqCQ==";

    @Test
    void pkcs1Sec1AndPkcs8Keys_areRead() throws Exception {
        KeyPair rsa = TestPki.rsa();
        KeyPair ec = TestPki.ec();
        assertThat(Files.readString(traditional(rsa, "rsa.pem"))).contains("BEGIN RSA PRIVATE KEY");
        Files.writeString(dir.resolve("ec.pem"), OPENSSL_SEC1);
        var ecPublic = java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec
                .X509EncodedKeySpec(java.util.Base64.getDecoder().decode(OPENSSL_SEC1_PUBLIC)));

        assertThat(PemFiles.matches(PemFiles.privateKey(dir.resolve("rsa.pem")), rsa.getPublic())).isTrue();
        assertThat(PemFiles.matches(PemFiles.privateKey(dir.resolve("ec.pem")), ecPublic)).isTrue();
        Path pkcs8 = dir.resolve("p8.pem");
        Files.writeString(pkcs8, PemFiles.pem(ec.getPrivate()));
        assertThat(PemFiles.privateKey(pkcs8)).isEqualTo(ec.getPrivate());
    }

    @Test
    void mismatchedKey_isDetected() throws Exception {
        assertThat(PemFiles.matches(TestPki.ec().getPrivate(), TestPki.ec().getPublic())).isFalse();
        assertThat(PemFiles.matches(TestPki.rsa().getPrivate(), TestPki.ec().getPublic())).isFalse();
    }

    @Test
    void unreadableOrEmptyFiles_failNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> PemFiles.certificates(missing)).hasMessageStartingWith(missing.toString());
        Path text = dir.resolve("text.pem");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> PemFiles.privateKey(text)).hasMessageStartingWith(text + ": contains no PEM private");
        assertThatThrownBy(() -> PemFiles.certificates(text)).hasMessageStartingWith(text + ": contains no PEM cert");
    }

    @Test
    void tokenIssuerKey_isCreatedOnce_andItsPublicKeyRecovered() throws Exception {
        Path key = dir.resolve("keys/token.key");
        TokenIssuer first = TokenIssuer.load(key, "wharf", "svc", java.time.Clock.systemUTC());
        TokenIssuer again = TokenIssuer.load(key, "wharf", "svc", java.time.Clock.systemUTC());
        assertThat(again.publicKey()).isEqualTo(first.publicKey());
        assertThat(PemFiles.matches(PemFiles.privateKey(key), first.publicKey())).isTrue();
    }
}
