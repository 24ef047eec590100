package io.wharf.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates manifest payloads (OCI image manifest and index, Docker schema2 manifest and
 * manifest list). Thread-safe.
 *
 * <p>The media type comes from, in order: the {@code Content-Type} of the upload when it is a
 * manifest type, the payload's {@code mediaType} field, and the payload's shape ({@code manifests}
 * makes an OCI index, {@code config} an OCI manifest). A {@code mediaType} field that contradicts
 * the {@code Content-Type} is refused, as is schema1.
 */
public final class ManifestParser {
    private final ObjectReader json;

    public ManifestParser(ObjectMapper json) {
        // Like Go's json.Unmarshal in Distribution: content after the object makes the payload invalid.
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Parses a payload.
     *
     * @param payload the manifest bytes
     * @param contentType the declared media type, or {@code null} when unknown (reading stored content)
     * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} describing the first problem
     */
    public Manifest parse(byte[] payload, MediaType contentType) {
        if (contentType != null) {
            requireUtf8(payload);
        }
        JsonNode root = readTree(payload);
        if (!root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        MediaType declared = textType(root, "mediaType");
        if (isSchema1(contentType) || isSchema1(declared) || schemaVersion(root) == 1) {
            throw invalid("Docker schema1 manifests are not supported; push the image as Docker schema2 or OCI");
        }
        MediaType type = resolveType(root, contentType, declared);
        if (schemaVersion(root) != 2) {
            throw invalid("schemaVersion must be 2");
        }
        String artifactType = optionalText(root, "artifactType");
        Descriptor subject = root.has("subject") && !root.get("subject").isNull()
                ? descriptor(root.get("subject"), "subject") : null;
        Map<String, String> annotations = stringMap(root.get("annotations"), "annotations");
        if (type.isIndex()) {
            List<Descriptor> children = descriptors(root.get("manifests"), "manifests", true);
            return new Manifest(type, artifactType, null, List.of(), children, subject, annotations);
        }
        Descriptor config = root.has("config") ? descriptor(root.get("config"), "config") : null;
        if (config == null) {
            throw invalid("an image manifest needs a config descriptor");
        }
        List<Descriptor> layers = descriptors(root.get("layers"), "layers", type.equals(MediaType.DOCKER_MANIFEST));
        String reported = artifactType != null ? artifactType : config.mediaType().value();
        return new Manifest(type, reported, config, layers, List.of(), subject, annotations);
    }

    /**
     * Parses content already in the store. Like {@link #parse} with no declared type, except that an old
     * Docker schema1 manifest, which a data directory written by Distribution may hold, is described (its
     * media type only: signed or not) instead of refused, so that it can still be served.
     *
     * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} for anything else that does not parse
     */
    public Manifest parseStored(byte[] payload) {
        try {
            return parse(payload, null);
        } catch (RegistryException e) {
            JsonNode root = readTree(payload);
            if (root.isObject() && schemaVersion(root) == 1) {
                MediaType type = root.has("signatures") ? MediaType.DOCKER_SCHEMA1_SIGNED : MediaType.DOCKER_SCHEMA1;
                return new Manifest(type, null, null, List.of(), List.of(), null, Map.of());
            }
            throw e;
        }
    }

    /**
     * JSON exchanged between systems is UTF-8 without a byte-order mark (RFC 8259 section 8.1), and Distribution
     * refuses anything else; Jackson alone would accept UTF-16 and UTF-32 by detecting them.
     */
    private static void requireUtf8(byte[] payload) {
        boolean bom = payload.length >= 2 && ((payload[0] == (byte) 0xFE && payload[1] == (byte) 0xFF)
                || (payload[0] == (byte) 0xFF && payload[1] == (byte) 0xFE)
                || (payload.length >= 3 && payload[0] == (byte) 0xEF && payload[1] == (byte) 0xBB
                        && payload[2] == (byte) 0xBF));
        if (bom) {
            throw invalid("manifest starts with a byte-order mark; JSON must be UTF-8 without one (RFC 8259)");
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(payload));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalid("manifest is not UTF-8 text; JSON must be UTF-8 (RFC 8259)");
        }
        for (int i = 0; i < Math.min(4, payload.length); i++) {
            if (payload[i] == 0) {
                throw invalid("manifest is not UTF-8 text (it looks like UTF-16 or UTF-32); JSON must be UTF-8");
            }
        }
    }

    private JsonNode readTree(byte[] payload) {
        try {
            JsonNode root = json.readTree(payload);
            if (root == null) {
                throw invalid("empty manifest");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid("manifest could not be read");
        }
    }

    /** The integer {@code schemaVersion}, or -1 when absent or not a JSON integer ("2" and 2.0 are not). */
    private static int schemaVersion(JsonNode root) {
        JsonNode v = root.get("schemaVersion");
        return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : -1;
    }

    private static boolean isSchema1(MediaType t) {
        return t != null && t.isSchema1();
    }

    private MediaType resolveType(JsonNode root, MediaType contentType, MediaType declared) {
        if (contentType != null && contentType.isManifest()) {
            if (declared != null && !declared.equals(contentType)) {
                throw invalid("mediaType " + declared + " in the manifest does not match Content-Type " + contentType);
            }
            return contentType;
        }
        if (declared != null) {
            if (!declared.isManifest()) {
                throw invalid("unsupported manifest media type: " + declared);
            }
            return declared;
        }
        if (root.has("manifests")) {
            return MediaType.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaType.OCI_MANIFEST;
        }
        throw invalid("cannot tell the manifest's media type: no mediaType, manifests or config");
    }

    private List<Descriptor> descriptors(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(field + " is required");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be an array");
        }
        List<Descriptor> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(descriptor(node.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        MediaType mediaType = textType(node, "mediaType");
        if (mediaType == null) {
            throw invalid(where + ".mediaType is required");
        }
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || !digestNode.isTextual() || !Digest.isValid(digestNode.asText())) {
            throw invalid(where + ".digest is missing or invalid");
        }
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null || !sizeNode.canConvertToLong() || !sizeNode.isIntegralNumber() || sizeNode.asLong() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && urlsNode.isArray()) {
            urlsNode.forEach(u -> urls.add(u.asText()));
        }
        return new Descriptor(mediaType, Digest.parse(digestNode.asText()), sizeNode.asLong(),
                optionalText(node, "artifactType"), stringMap(node.get("annotations"), where + ".annotations"),
                List.copyOf(urls), node);
    }

    private MediaType textType(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid(field + " must be a non-empty string");
        }
        return MediaType.parseHeader(v.asText());
    }

    private String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return v.asText();
    }

    private Map<String, String> stringMap(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(where + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw invalid(where + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return Map.copyOf(out);
    }

    private static RegistryException invalid(String detail) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, detail);
    }
}
