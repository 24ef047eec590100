package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static io.wharf.http.TestRegistry.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distribution's signed upload state ({@code _state}) in upload {@code Location}s when {@code http.secret} is set:
 * issued with the repository, UUID, offset and start time, checked when it comes back, refused when altered, signed
 * with another secret or issued for another upload, and never needed (storage holds the upload).
 */
class UploadStateTest {
    private static final String SECRET = "one-secret-for-every-instance";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = TestRegistry.JSON;

    @TempDir
    Path dir;

    private TestRegistry withSecret(String secret) throws Exception {
        return TestRegistry.start(dir.resolve("data"), c -> TestRegistry.withHttp(c, h -> h.withSecret(secret)));
    }

    @Test
    void locationsCarryASignedState_thatFollowsTheUpload_andCompletes() throws Exception {
        UploadStates states = UploadStates.of(SECRET, JSON, Clock.systemUTC());
        try (TestRegistry r = withSecret(SECRET)) {
            HttpResponse<byte[]> started = r.post("/v2/team/app/blobs/uploads/", null);
            assertThat(started.statusCode()).isEqualTo(202);
            String uuid = started.headers().firstValue("Docker-Upload-UUID").orElseThrow();
            UploadState first = stateOf(states, location(started));
            assertThat(first.name()).isEqualTo("team/app");
            assertThat(first.uuid()).isEqualTo(uuid);
            assertThat(first.offset()).isZero();
            assertThat(Instant.parse(first.startedAt())).isBefore(Instant.now().plusSeconds(1));

            byte[] blob = utf8("a chunk, then another");
            HttpResponse<byte[]> patched = r.patch(location(started), java.util.Arrays.copyOf(blob, 8),
                    "Content-Range", "0-7");
            assertThat(patched.statusCode()).as(TestRegistry.text(patched)).isEqualTo(202);
            UploadState second = stateOf(states, location(patched));
            assertThat(second).isEqualTo(new UploadState("team/app", uuid, 8, first.startedAt()));

            HttpResponse<byte[]> status = r.get(location(patched));
            assertThat(status.statusCode()).isEqualTo(204);
            assertThat(stateOf(states, location(status)).offset()).isEqualTo(8);

            Digest digest = TestRegistry.sha256(blob);
            HttpResponse<byte[]> done = r.put(location(patched) + "&digest=" + digest,
                    java.util.Arrays.copyOfRange(blob, 8, blob.length));
            assertThat(done.statusCode()).as(TestRegistry.text(done)).isEqualTo(201);
            assertThat(r.get("/v2/team/app/blobs/" + digest).body()).isEqualTo(blob);
        }
    }

    @Test
    void anAlteredForeignOrMisdirectedState_isRefused_andTheUploadKeepsItsBytes() throws Exception {
        try (TestRegistry r = withSecret(SECRET)) {
            String one = location(r.post("/v2/team/app/blobs/uploads/", null));
            String other = location(r.post("/v2/team/app/blobs/uploads/", null));
            assertThat(r.patch(one, utf8("12345"), "Content-Range", "0-4").statusCode()).isEqualTo(202);
            String token = tokenOf(one);

            byte[] raw = Base64.getUrlDecoder().decode(token);
            raw[raw.length - 3] ^= 1;
            String altered = pathOf(one) + "?_state=" + encode(Base64.getUrlEncoder().encodeToString(raw));
            assertError(r.patch(altered, utf8("67890"), "Content-Range", "5-9"), 400, "BLOB_UPLOAD_INVALID");

            String foreign = UploadStates.of("another-secret", JSON, Clock.systemUTC())
                    .sign(new UploadState("team/app", uuidOf(one), 5, Instant.now().toString())).orElseThrow();
            assertError(r.patch(pathOf(one) + "?_state=" + encode(foreign), utf8("67890"), "Content-Range", "5-9"),
                    400, "BLOB_UPLOAD_INVALID");

            assertError(r.patch(pathOf(other) + "?_state=" + encode(token), utf8("67890"), "Content-Range", "0-4"),
                    400, "BLOB_UPLOAD_INVALID");
            assertError(r.get(pathOf(one) + "?_state=" + encode("not base64 at all!")), 400,
                    "BLOB_UPLOAD_INVALID");
            assertError(r.put(pathOf(one) + "?_state=" + encode(foreign) + "&digest="
                    + TestRegistry.sha256(utf8("12345")), null), 400, "BLOB_UPLOAD_INVALID");

            // None of the refused requests touched the uploads; without a state storage answers.
            HttpResponse<byte[]> status = r.get(pathOf(one));
            assertThat(status.statusCode()).isEqualTo(204);
            assertThat(status.headers().firstValue("Range")).contains("0-4");
            assertThat(r.get(pathOf(other)).headers().firstValue("Range")).contains("0-0");
            assertThat(r.patch(pathOf(one), utf8("67890"), "Content-Range", "5-9").statusCode()).isEqualTo(202);
        }
    }

    @Test
    void withoutASecret_nothingIsSigned_andAStateIsIgnored() throws Exception {
        try (TestRegistry r = withSecret("")) {
            String location = location(r.post("/v2/team/app/blobs/uploads/", null));
            assertThat(URI.create(location).getRawQuery()).isNull();
            HttpResponse<byte[]> patched = r.patch(location + "?_state=" + encode("from-an-instance-with-a-secret"),
                    utf8("12345"), "Content-Range", "0-4");
            assertThat(patched.statusCode()).isEqualTo(202);
            assertThat(URI.create(location(patched)).getRawQuery()).isNull();
        }
    }

    @Test
    void checking_refusesWhatNoSecretHolderWrote_andReadsWhatItSigned() {
        Clock fixed = Clock.fixed(Instant.parse("2026-12-06T05:30:00.123456789Z"), ZoneOffset.UTC);
        UploadStates states = UploadStates.of(SECRET, JSON, fixed);
        UploadState state = new UploadState("a/b", "0b0c6c6e-6b0a-4a3c-9a54-3cbd5e0d6c51", 42, states.now());
        String token = states.sign(state).orElseThrow();
        assertThat(states.check(token)).contains(state);
        assertThat(state.startedAt()).isEqualTo("2026-12-06T05:30:00.123456789Z");

        String signedNonsense = signedPayload(SECRET, "[1,2,3]");
        for (String bad : new String[] {"", "AAAA", "x".repeat(5000), signedNonsense,
                signedPayload(SECRET, "{\"Name\":\"a/b\",\"UUID\":\"u\"}"), signedPayload("other", "{}")}) {
            assertThatThrownBy(() -> states.check(bad)).as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID));
        }
        assertThat(states.check(null)).isEmpty();
        assertThat(UploadStates.unsigned().check(token)).isEmpty();
        assertThat(UploadStates.unsigned().sign(state)).isEmpty();
    }

    /** HMAC-SHA256 then payload, base64url: the format written out independently of {@link UploadStates}. */
    private static String signedPayload(String secret, String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(utf8(secret), "HmacSHA256"));
            byte[] p = utf8(payload);
            byte[] m = mac.doFinal(p);
            byte[] all = java.util.Arrays.copyOf(m, m.length + p.length);
            System.arraycopy(p, 0, all, m.length, p.length);
            return Base64.getUrlEncoder().encodeToString(all);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static UploadState stateOf(UploadStates states, String location) {
        Optional<UploadState> state = states.check(tokenOf(location));
        assertThat(state).as("state in %s", location).isPresent();
        return state.get();
    }

    private static String tokenOf(String location) {
        String query = URI.create(location).getRawQuery();
        assertThat(query).as("query of %s", location).startsWith("_state=");
        return URLDecoder.decode(query.substring("_state=".length()), StandardCharsets.UTF_8);
    }

    private static String location(HttpResponse<byte[]> r) {
        String l = r.headers().firstValue("Location").orElseThrow();
        URI u = URI.create(l);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static String pathOf(String location) {
        return URI.create(location).getRawPath();
    }

    private static String uuidOf(String location) {
        String p = pathOf(location);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
