package io.wharf.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.auth.Hmac;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and checks {@link UploadState}s in Distribution's format, so that one {@code _state} is understood by
 * Wharf and Distribution instances sharing a secret: URL-safe base64 (padded) of the HMAC-SHA256 of the JSON
 * {@code {"Name","UUID","Offset","StartedAt"}} followed by that JSON. Without a secret nothing is signed and an
 * incoming {@code _state} is ignored, since no instance could have signed it for another.
 */
final class UploadStates {
    private static final int MAC_LENGTH = 32;
    /** Far above any state Distribution or Wharf writes (a 255-character name and a UUID): refused unread. */
    private static final int MAX_TOKEN = 2048;

    /** The secret's bytes, or {@code null} without one. */
    private final byte[] key;
    private final ObjectMapper json;
    private final Clock clock;

    private UploadStates(byte[] key, ObjectMapper json, Clock clock) {
        this.key = key;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param secret {@code http.secret}; empty for none
     * @param clock the start time of uploads that begin here
     */
    static UploadStates of(String secret, ObjectMapper json, Clock clock) {
        return new UploadStates(secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8), json, clock);
    }

    /** Without a secret: nothing signed, nothing checked. */
    static UploadStates unsigned() {
        return new UploadStates(null, new ObjectMapper(), Clock.systemUTC());
    }

    /** A start time for an upload beginning now, in the RFC 3339 form Distribution writes and reads. */
    String now() {
        return clock.instant().toString();
    }

    /** The signed {@code _state} value, or empty without a secret. */
    Optional<String> sign(UploadState state) {
        if (key == null) {
            return Optional.empty();
        }
        ObjectNode node = json.createObjectNode();
        node.put("Name", state.name());
        node.put("UUID", state.uuid());
        node.put("Offset", state.offset());
        node.put("StartedAt", state.startedAt());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON object of four scalars did not serialise", e);
        }
        byte[] mac = Hmac.sha256(key, payload);
        byte[] token = Arrays.copyOf(mac, mac.length + payload.length);
        System.arraycopy(payload, 0, token, mac.length, payload.length);
        return Optional.of(Base64.getUrlEncoder().encodeToString(token));
    }

    /**
     * The state a {@code _state} value carries, or empty when there is no secret to check it with or no value.
     *
     * @throws RegistryException {@code BLOB_UPLOAD_INVALID} when the value was not signed with this secret or does
     *     not hold a state
     */
    Optional<UploadState> check(String token) {
        if (key == null || token == null) {
            return Optional.empty();
        }
        if (token.length() > MAX_TOKEN) {
            throw invalid("too long");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("not URL-safe base64");
        }
        if (raw.length <= MAC_LENGTH) {
            throw invalid("too short");
        }
        byte[] payload = Arrays.copyOfRange(raw, MAC_LENGTH, raw.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(raw, MAC_LENGTH), Hmac.sha256(key, payload))) {
            throw invalid("not signed with this registry's http.secret");
        }
        return Optional.of(parse(payload));
    }

    /** The state in a signed payload, as Distribution writes it; Go's JSON ignores extra keys, so does this. */
    private UploadState parse(byte[] payload) {
        try {
            JsonNode node = json.readTree(payload);
            JsonNode name = node.path("Name");
            JsonNode uuid = node.path("UUID");
            JsonNode offset = node.path("Offset");
            if (!name.isTextual() || !uuid.isTextual() || !offset.canConvertToLong()) {
                throw invalid("signed, but without Name, UUID and Offset");
            }
            return new UploadState(name.asText(), uuid.asText(), offset.asLong(), node.path("StartedAt").asText(""));
        } catch (IOException e) {
            throw invalid("signed, but not JSON");
        }
    }

    private static RegistryException invalid(String why) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "the upload's _state is invalid: " + why);
    }
}
