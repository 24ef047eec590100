package io.wharf.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
 *
 * <p>The payload is read as a stream of tokens straight into the value types, never as a tree: fields Wharf does
 * not use are skipped without being kept. What the parsed form holds is tallied as it is built, and a payload whose
 * parsed form would exceed {@link #footprintLimit} is refused as soon as it does: a 4 MiB manifest of a million
 * empty objects or one-letter annotations would otherwise take tens of MiB of heap to hold (LIMITS.md). The token
 * readers are {@link ManifestFields}.
 */
public final class ManifestParser {
    /** Parsed forms may hold this many times their payload's size, beyond {@link #FOOTPRINT_SLACK}. */
    static final int FOOTPRINT_FACTOR = 2;
    /** What any small manifest may hold, however it is written. */
    static final int FOOTPRINT_SLACK = 64 * 1024;

    private final JsonFactory json;

    public ManifestParser(ObjectMapper json) {
        this.json = json.getFactory();
    }

    /** The most heap a payload of {@code payloadBytes} may take once parsed. */
    static long footprintLimit(int payloadBytes) {
        return (long) FOOTPRINT_FACTOR * payloadBytes + FOOTPRINT_SLACK;
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
        return parseChecked(payload, contentType);
    }

    /**
     * Parses a manifest being pushed: as {@link #parse}, and UTF-8 without a byte-order mark even when the push
     * declared no {@code Content-Type} (as Distribution, whose JSON decoder takes nothing else).
     *
     * @throws RegistryException {@link ErrorCode#MANIFEST_INVALID} describing the first problem
     */
    public Manifest parsePushed(byte[] payload, MediaType contentType) {
        requireUtf8(payload);
        return parseChecked(payload, contentType);
    }

    private Manifest parseChecked(byte[] payload, MediaType contentType) {
        ManifestFields.Root root = read(payload, new ManifestFields.Tally(footprintLimit(payload.length)));
        MediaType declared = root.mediaType.get();
        if (isSchema1(contentType) || isSchema1(declared) || root.schemaVersion == 1) {
            throw invalid("Docker schema1 manifests are not supported; push the image as Docker schema2 or OCI");
        }
        MediaType type = resolveType(root, contentType, declared);
        if (root.schemaVersion != 2) {
            throw invalid("schemaVersion must be 2");
        }
        String artifactType = root.artifactType.get();
        Descriptor subject = root.subject.get();
        Map<String, String> annotations = root.annotations.get();
        if (type.isIndex()) {
            List<Descriptor> children = root.manifests.list("manifests", true);
            return new Manifest(type, artifactType, null, List.of(), children, subject, annotations, root.used());
        }
        if (!root.hasConfig) {
            throw invalid("an image manifest needs a config descriptor");
        }
        Descriptor config = root.config.get();
        List<Descriptor> layers = root.layers.list("layers", type.equals(MediaType.DOCKER_MANIFEST));
        String reported = artifactType != null ? artifactType : config.mediaType().value();
        return new Manifest(type, reported, config, layers, List.of(), subject, annotations, root.used());
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
            ManifestFields.Root root;
            try {
                root = read(payload, new ManifestFields.Tally(footprintLimit(payload.length)));
            } catch (RegistryException again) {
                throw e;
            }
            if (root.schemaVersion == 1) {
                MediaType type = root.hasSignatures ? MediaType.DOCKER_SCHEMA1_SIGNED : MediaType.DOCKER_SCHEMA1;
                return new Manifest(type, null, null, List.of(), List.of(), null, Map.of(), 0);
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

    /** Reads the top-level object; problems with a field are kept for when (and if) the field is used. */
    private ManifestFields.Root read(byte[] payload, ManifestFields.Tally tally) {
        try (JsonParser p = json.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw invalid("empty manifest");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("manifest is not a JSON object");
            }
            ManifestFields.Root root = new ManifestFields.Root(tally);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                root.read(name, p);
            }
            // Like Go's json.Unmarshal in Distribution: content after the object makes the payload invalid.
            if (p.nextToken() != null) {
                throw invalid("manifest is not valid JSON: content after the top-level object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest could not be read");
        }
    }

    private static boolean isSchema1(MediaType t) {
        return t != null && t.isSchema1();
    }

    private static MediaType resolveType(ManifestFields.Root root, MediaType contentType, MediaType declared) {
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
        if (root.hasManifests) {
            return MediaType.OCI_INDEX;
        }
        if (root.hasConfig) {
            return MediaType.OCI_MANIFEST;
        }
        throw invalid("cannot tell the manifest's media type: no mediaType, manifests or config");
    }

    private static RegistryException invalid(String detail) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, detail);
    }
}
