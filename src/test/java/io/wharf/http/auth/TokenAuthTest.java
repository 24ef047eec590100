package io.wharf.http.auth;

import static io.wharf.http.auth.Calls.basic;
import static io.wharf.http.auth.Calls.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.wharf.auth.Htpasswd;
import io.wharf.auth.TestPki;
import io.wharf.auth.TestTokens;
import io.wharf.config.AuthConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.LogCapture;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token auth over real HTTP: tokens of a separate test issuer, and Wharf's own token server. */
class TokenAuthTest {
    private static final String ISSUER = "test-issuer";
    private static final String SERVICE = "registry.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private AuthConfig.Token external(Optional<Path> bundle, Optional<Path> jwks) {
        return new AuthConfig.Token("https://auth.example/token", SERVICE, ISSUER, bundle, jwks, List.of(), false,
                "/auth/token");
    }

    private String token(KeyPair keys, String kid, String repo, Instant expiry, String... actions) throws Exception {
        return TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256, kid), TestTokens.claims(ISSUER, SERVICE, "alice",
                expiry, List.of(TestTokens.access("repository", repo, actions))), keys);
    }

    @Test
    void externalIssuer_tokensAreAcceptedOnlyWhenTheirKeyIsInTheJwks() throws Exception {
        KeyPair trusted = TestPki.ec();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) trusted.getPublic())
                .keyID("k1").build()).toString(true));
        AuthConfig auth = new AuthConfig(Optional.empty(), Optional.of(external(Optional.empty(), Optional.of(jwks))),
                AuthConfig.Access.none(), Optional.empty());
        try (TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> c.withAuth(auth))) {
            Calls calls = new Calls(r.client(), r.base());
            var challenge = calls.get("/v2/team/app/tags/list", null);
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"https://auth."
                    + "example/token\",service=\"registry.test\",scope=\"repository:team/app:pull\"");
            var pushChallenge = calls.pushBlob("team/app", "x".getBytes(), null);
            assertThat(pushChallenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).contains("scope=\"repository:team/app:pull,push\""));
            assertThat(calls.get("/v2/_catalog", null).headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).contains("scope=\"registry:catalog:*\""));

            String push = token(trusted, "k1", "team/app", Instant.now().plusSeconds(300), "pull", "push");
            calls.pushImage("team/app", "v1", bearer(push));
            String pull = token(trusted, "k1", "team/app", Instant.now().plusSeconds(300), "pull");
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(pull)).statusCode()).isEqualTo(200);

            var readOnly = calls.pushBlob("team/app", "y".getBytes(), bearer(pull));
            assertThat(readOnly.statusCode()).isEqualTo(401);
            assertThat(readOnly.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).contains("error=\"insufficient_scope\""));
            assertThat(calls.get("/v2/other/app/manifests/v1", bearer(pull)).statusCode()).isEqualTo(401);

            String expired = token(trusted, "k1", "team/app", Instant.now().minusSeconds(120), "pull");
            var refused = calls.get("/v2/team/app/manifests/v1", bearer(expired));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).contains("error=\"invalid_token\""));

            String forged = token(TestPki.ec(), "k1", "team/app", Instant.now().plusSeconds(300), "pull");
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(forged)).statusCode()).isEqualTo(401);
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(TestTokens.tampered(pull))).statusCode())
                    .isEqualTo(401);
            // On the same connection, a token that differs from a valid one only in the case of one letter is
            // another token, not the one sent before (Jetty's header cache ignores case unless told otherwise).
            int dot = pull.lastIndexOf('.');
            int letter = dot + 1;
            while (!Character.isLetter(pull.charAt(letter))) {
                letter++;
            }
            char c = pull.charAt(letter);
            String caseFlipped = pull.substring(0, letter)
                    + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                    + pull.substring(letter + 1);
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(pull)).statusCode()).isEqualTo(200);
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(caseFlipped)).statusCode()).isEqualTo(401);
            String none = TestTokens.unsigned(TestTokens.claims(ISSUER, SERVICE, "alice",
                    Instant.now().plusSeconds(60), List.of(TestTokens.access("repository", "team/app", "pull"))));
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(none)).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void externalIssuer_x5cChainsMustEndInTheRootBundle() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued root = pki.ca("token-root");
        TestPki.Issued signer = pki.leaf(root, "signer", TestPki.ec(), Instant.now().plusSeconds(3600));
        TestPki.Issued rogue = pki.leaf(pki.ca("rogue-root"), "signer", TestPki.ec(), Instant.now().plusSeconds(3600));
        Path bundle = root.written(dir, "root").certificate();
        AuthConfig auth = new AuthConfig(Optional.empty(), Optional.of(external(Optional.of(bundle),
                Optional.empty())), AuthConfig.Access.none(), Optional.empty());
        try (TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> c.withAuth(auth))) {
            Calls calls = new Calls(r.client(), r.base());
            assertThat(calls.get("/v2/", bearer(x5cToken(signer))).statusCode()).isEqualTo(200);
            assertThat(calls.get("/v2/", bearer(x5cToken(rogue))).statusCode()).isEqualTo(401);
        }
    }

    private static String x5cToken(TestPki.Issued signer) throws Exception {
        var header = new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.ES256).x509CertChain(List.of(
                com.nimbusds.jose.util.Base64.encode(signer.certificate().getEncoded()))).build();
        return TestTokens.sign(header, TestTokens.claims(ISSUER, SERVICE, "alice", Instant.now().plusSeconds(60),
                List.of()), signer.keys());
    }

    /** The built-in token server: alice may pull and push team/** and public/**, carol pull them. */
    private AuthConfig tokenServer() throws Exception {
        Path htpasswd = dir.resolve("users");
        Files.writeString(htpasswd, Htpasswd.line("alice", "alice-pw", 4) + "\n" + Htpasswd.line("carol", "c-pw", 4)
                + "\n");
        AuthConfig.Access access = new AuthConfig.Access(Map.of(), "", List.of("public/**"),
                List.of(new AuthConfig.Rule(List.of("team/**", "public/**"), List.of("carol"), List.of("alice"), List.of())),
                AuthConfig.FailedLogins.defaults());
        return new AuthConfig(Optional.empty(), Optional.empty(), access, Optional.of(
                new AuthConfig.TokenServer(htpasswd, dir.resolve("token.key"), "wharf", "wharf-test",
                        Duration.ofMinutes(5), Duration.ofDays(1))));
    }

    @Test
    void builtInTokenServer_refusesMalformedBasic_andTokensTooLargeToSendBack() throws Exception {
        AuthConfig auth = tokenServer();
        try (TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> c.withAuth(auth))) {
            Calls calls = new Calls(r.client(), r.base());
            String pull = "&scope=" + URLEncoder.encode("repository:public/base:pull", StandardCharsets.UTF_8);
            for (String malformed : List.of("Basic !!!", "Basic " + Base64.getEncoder().encodeToString(
                    "alice".getBytes(StandardCharsets.UTF_8)), "basic ")) {
                try (LogCapture access = new LogCapture("io.wharf.access")) {
                    var refused = calls.get("/auth/token?service=wharf-test" + pull, malformed);
                    assertThat(refused.statusCode()).as(malformed).isEqualTo(401);
                    assertThat(refused.body()).contains("UNAUTHORIZED");
                    assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                            c -> assertThat(c).startsWith("Basic realm="));
                    assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
                    assertThat(access.lines()).singleElement().asString().contains("malformed Basic credentials");
                }
            }
            // Another scheme still asks as anonymous: a client may send back the bearer token it holds.
            assertThat(calls.get("/auth/token?service=wharf-test" + pull, bearer("old")).statusCode()).isEqualTo(200);

            // 24 scopes of long names: a token clients can still send back, which the registry then reads.
            String longName = "team/" + "n".repeat(190);
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                many.append("&scope=").append(URLEncoder.encode("repository:" + longName + i + ":pull,push",
                        StandardCharsets.UTF_8));
            }
            var large = calls.get("/auth/token?service=wharf-test" + many, basic("alice", "alice-pw"));
            assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
            String token = JSON.readTree(large.body()).get("token").asText();
            assertThat(token.length()).isGreaterThan(8 * 1024);
            assertThat(calls.get("/v2/" + longName + "23/tags/list", bearer(token)).statusCode()).isEqualTo(404);
            // Four times as many would be refused by the registry on every use: it is not issued.
            StringBuilder tooMany = new StringBuilder("grant_type=password&username=alice&password=alice-pw");
            for (int i = 0; i < 96; i++) {
                tooMany.append("&scope=").append(URLEncoder.encode("repository:" + longName + i + ":pull",
                        StandardCharsets.UTF_8));
            }
            var refused = calls.send(calls.request("/auth/token", null).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(tooMany.toString())).build());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("REQUEST_INVALID").contains("ask for fewer");
        }
    }

    @Test
    void builtInTokenServer_getWithBasic_postPasswordAndRefresh_andRulesInTheToken() throws Exception {
        AuthConfig auth = tokenServer();
        try (TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> c.withAuth(auth))) {
            Calls calls = new Calls(r.client(), r.base());
            var challenge = calls.get("/v2/", null);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\""
                    + r.base() + "/auth/token\",service=\"wharf-test\"");

            String scope = URLEncoder.encode("repository:team/app:pull,push", StandardCharsets.UTF_8);
            var got = calls.get("/auth/token?service=wharf-test&scope=" + scope + "&offline_token=true",
                    basic("alice", "alice-pw"));
            assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(got.body());
            assertThat(body.get("expires_in").asLong()).isEqualTo(300);
            assertThat(body.get("access_token").asText()).isEqualTo(body.get("token").asText());
            String aliceToken = body.get("token").asText();
            String refresh = body.get("refresh_token").asText();
            calls.pushImage("team/app", "v1", bearer(aliceToken));
            assertThat(calls.get("/v2/", bearer(aliceToken)).statusCode()).isEqualTo(200);
            assertThat(calls.get("/v2/", bearer(refresh)).statusCode()).as("a refresh token is no access token")
                    .isEqualTo(401);

            String carolToken = JSON.readTree(calls.get("/auth/token?service=wharf-test&scope=" + scope,
                    basic("carol", "c-pw")).body()).get("token").asText();
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(carolToken)).statusCode()).isEqualTo(200);
            assertThat(calls.pushBlob("team/app", "x".getBytes(), bearer(carolToken)).statusCode()).isEqualTo(401);

            var form = calls.send(calls.request("/auth/token", null).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("grant_type=refresh_token"
                    + "&service=wharf-test&client_id=test&scope=" + scope + "&refresh_token=" + refresh)).build());
            assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
            String refreshed = JSON.readTree(form.body()).get("access_token").asText();
            assertThat(calls.pushBlob("team/app", "z".getBytes(), bearer(refreshed)).statusCode()).isEqualTo(201);

            var password = calls.send(calls.request("/auth/token", null).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("grant_type=password"
                    + "&service=wharf-test&client_id=test&username=alice&password=wrong&scope=" + scope)).build());
            assertThat(password.statusCode()).isEqualTo(401);
            assertThat(password.body()).contains("UNAUTHORIZED");

            assertThat(calls.get("/auth/token?service=wharf-test", basic("alice", "nope")).statusCode())
                    .isEqualTo(401);
            var badRefresh = calls.send(calls.request("/auth/token", null).header("Content-Type",
                    "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(
                    "grant_type=refresh_token&refresh_token=" + aliceToken)).build());
            assertThat(badRefresh.statusCode()).as("an access token is no refresh token").isEqualTo(401);

            String anonymous = JSON.readTree(calls.get("/auth/token?service=wharf-test&scope=" + scope, null)
                    .body()).get("token").asText();
            assertThat(calls.get("/v2/team/app/manifests/v1", bearer(anonymous)).statusCode()).isEqualTo(401);

            calls.pushImage("public/base", "v1", bearer(JSON.readTree(calls.get("/auth/token?scope="
                    + URLEncoder.encode("repository:public/base:pull,push", StandardCharsets.UTF_8),
                    basic("alice", "alice-pw")).body()).get("token").asText()));
            assertThat(calls.get("/v2/public/base/manifests/v1", null).statusCode()).isEqualTo(200);

            String catalogToken = JSON.readTree(calls.get("/auth/token?scope=registry:catalog:*",
                    basic("carol", "c-pw")).body()).get("token").asText();
            assertThat(calls.get("/v2/_catalog", bearer(catalogToken)).body())
                    .isEqualTo("{\"repositories\":[\"public/base\",\"team/app\"]}");
            assertThat(calls.get("/auth/token?service=other", null).statusCode()).isEqualTo(400);
        }
    }
}
