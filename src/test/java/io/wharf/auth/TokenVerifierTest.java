package io.wharf.auth;

import static io.wharf.auth.TestTokens.access;
import static io.wharf.auth.TestTokens.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token verification as Distribution does it, and every way a hostile token must fail. */
class TokenVerifierTest {
    private static final String ISSUER = "test-issuer";
    private static final String SERVICE = "registry.test";

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private KeyPair rsa;
    private KeyPair ec;
    private KeyPair ed;
    private TokenVerifier verifier;

    @BeforeEach
    void trustAJwksWithThreeKeys() throws Exception {
        rsa = TestPki.rsa();
        ec = TestPki.ec();
        ed = TestPki.ed25519();
        JWKSet set = new JWKSet(List.of(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-1").build(),
                new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec-1")
                        .build(),
                edJwk("ed-1")));
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, set.toString(true));
        verifier = new TokenVerifier(Set.of(ISSUER), SERVICE, TrustedKeys.none().withJwks(jwks), Set.of(),
                Clock.systemUTC());
    }

    private com.nimbusds.jose.jwk.OctetKeyPair edJwk(String kid) {
        byte[] spki = ed.getPublic().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return new com.nimbusds.jose.jwk.OctetKeyPair.Builder(com.nimbusds.jose.jwk.Curve.Ed25519,
                com.nimbusds.jose.util.Base64URL.encode(raw)).keyID(kid).build();
    }

    private com.nimbusds.jwt.JWTClaimsSet pull(String repo) {
        return claims(ISSUER, SERVICE, "alice", Instant.now().plusSeconds(300),
                List.of(access("repository", repo, "pull")));
    }

    @Test
    void rs256_ps256_es256_and_eddsa_byKid_areAccepted() throws Exception {
        for (String token : List.of(
                TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256, "rsa-1"), pull("a/b"), rsa),
                TestTokens.sign(TestTokens.header(JWSAlgorithm.PS256, "rsa-1"), pull("a/b"), rsa),
                TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"), pull("a/b"), ec),
                TestTokens.signEd25519("ed-1", pull("a/b"), ed))) {
            TokenClaims claims = verifier.verify(token);
            assertThat(claims.subject()).isEqualTo("alice");
            assertThat(claims.grants(Scope.repository("a/b", Action.PULL))).isTrue();
            assertThat(claims.grants(Scope.repository("a/b", Action.PUSH))).isFalse();
            assertThat(claims.grants(Scope.repository("a/c", Action.PULL))).isFalse();
        }
    }

    @Test
    void algNone_isRefused() {
        assertRefused(TestTokens.unsigned(pull("a/b")), "malformed or unsigned");
    }

    @Test
    void hmacKeyedWithTheTrustedPublicKey_isRefused() throws Exception {
        assertRefused(TestTokens.hmacWithPublicKey("rsa-1", pull("a/b"), rsa.getPublic().getEncoded()),
                "HS256 is not accepted");
    }

    @Test
    void tamperedSignature_isRefused() throws Exception {
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"), pull("a/b"), ec);
        assertRefused(TestTokens.tampered(token), "signature");
    }

    @Test
    void tamperedClaims_areRefused() throws Exception {
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256, "rsa-1"), pull("a/b"), rsa);
        String[] parts = token.split("\\.");
        String other = TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256, "rsa-1"), pull("admin/x"), rsa)
                .split("\\.")[1];
        assertRefused(parts[0] + "." + other + "." + parts[2], "signature");
    }

    @Test
    void untrustedKey_isRefused() throws Exception {
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"), pull("a/b"), TestPki.ec());
        assertRefused(token, "signature");
        assertRefused(TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "nobody"), pull("a/b"), ec),
                "untrusted key");
    }

    @Test
    void algorithmNotFittingTheKey_isRefused() throws Exception {
        // An EC key named by kid, but the header claims RS256: the verifier must not pick a verifier by alg.
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256, "ec-1"), pull("a/b"), rsa);
        assertRefused(token, "does not fit");
    }

    @Test
    void expiredToken_isRefusedAfterTheLeeway_butAcceptedWithinIt() throws Exception {
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"),
                claims(ISSUER, SERVICE, "alice", Instant.parse("2030-01-01T00:00:00Z"), List.of()), ec);
        TokenVerifier at59s = withClock(Instant.parse("2030-01-01T00:00:59Z"));
        TokenVerifier at61s = withClock(Instant.parse("2030-01-01T00:01:01Z"));
        assertThat(at59s.verify(token).subject()).isEqualTo("alice");
        assertThatThrownBy(() -> at61s.verify(token)).hasMessageContaining("expired");
    }

    @Test
    void wrongIssuerOrService_isRefused() throws Exception {
        assertRefused(TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"),
                claims("someone-else", SERVICE, "alice", Instant.now().plusSeconds(60), List.of()), ec), "issuer");
        assertRefused(TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"),
                claims(ISSUER, "other.service", "alice", Instant.now().plusSeconds(60), List.of()), ec), "service");
    }

    @Test
    void x5cChainToTheRootBundle_isAccepted_andOtherChainsAreNot() throws Exception {
        TestPki.Issued root = pki.ca("token-root");
        TestPki.Issued signer = pki.leaf(root, "token-signer", TestPki.ec(), Instant.now().plusSeconds(3600));
        Path bundle = root.written(dir, "root").certificate();
        TokenVerifier byBundle = new TokenVerifier(Set.of(ISSUER), SERVICE, TrustedKeys.none().withRootBundle(bundle),
                Set.of(), Clock.systemUTC());
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).x509CertChain(List.of(
                Base64.encode(signer.certificate().getEncoded()))).build();
        assertThat(byBundle.verify(TestTokens.sign(header, pull("a/b"), signer.keys())).subject()).isEqualTo("alice");

        TestPki.Issued otherRoot = pki.ca("other-root");
        TestPki.Issued stranger = pki.leaf(otherRoot, "token-signer", TestPki.ec(), Instant.now().plusSeconds(3600));
        JWSHeader strangerHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).x509CertChain(List.of(
                Base64.encode(stranger.certificate().getEncoded()))).build();
        assertThatThrownBy(() -> byBundle.verify(TestTokens.sign(strangerHeader, pull("a/b"), stranger.keys())))
                .hasMessageContaining("x5c chain does not verify");
    }

    @Test
    void rootCertificateKey_isFoundByItsLibtrustKeyId() throws Exception {
        TestPki.Issued root = pki.ca("token-root");
        Path bundle = root.written(dir, "root").certificate();
        TokenVerifier byBundle = new TokenVerifier(Set.of(ISSUER), SERVICE, TrustedKeys.none().withRootBundle(bundle),
                Set.of(), Clock.systemUTC());
        String kid = KeyIds.libtrust(root.certificate().getPublicKey());
        assertThat(kid).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        String token = TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, kid), pull("a/b"), root.keys());
        assertThat(byBundle.verify(token).subject()).isEqualTo("alice");
    }

    @Test
    void signingAlgorithms_restrictWhatIsAccepted() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        TokenVerifier esOnly = new TokenVerifier(Set.of(ISSUER), SERVICE, TrustedKeys.none().withJwks(jwks),
                Set.of("ES256"), Clock.systemUTC());
        assertThat(esOnly.verify(TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, "ec-1"), pull("a"), ec))
                .subject()).isEqualTo("alice");
        assertThatThrownBy(() -> esOnly.verify(TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256, "rsa-1"),
                pull("a"), rsa))).hasMessageContaining("RS256 is not accepted");
    }

    @Test
    void garbage_isRefused() {
        assertRefused("not.a.token", "malformed");
        assertRefused("", "malformed");
    }

    private TokenVerifier withClock(Instant now) throws Exception {
        return new TokenVerifier(Set.of(ISSUER), SERVICE, TrustedKeys.none().withJwks(dir.resolve("jwks.json")),
                Set.of(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenVerifier.InvalidToken.class)
                .hasMessageContaining(reason);
    }
}
