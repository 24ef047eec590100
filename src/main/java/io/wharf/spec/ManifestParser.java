package io.wharf.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
 *
 * <p>The payload is read as a stream of tokens straight into the value types, never as a tree: fields Wharf does
 * not use are skipped without being kept. What the parsed form holds is tallied as it is built, and a payload whose
 * parsed form would exceed {@link #footprintLimit} is refused as soon as it does: a 4 MiB manifest of a million
 * empty objects or one-letter annotations would otherwise take tens of MiB of heap to hold (LIMITS.md).
 */
public final class ManifestParser {
    /** Parsed forms may hold this many times their payload's size, beyond {@link #FOOTPRINT_SLACK}. */
    static final int FOOTPRINT_FACTOR = 2;
    /** What any small manifest may hold, however it is written. */
    static final int FOOTPRINT_SLACK = 64 * 1024;
    /** An object's header and a reference to it from its holder. */
    private static final int OBJECT = 24;
    /** A descriptor: the record, its list slot, its {@link Digest} (object and hex text). */
    private static final int DESCRIPTOR = 56 + OBJECT + 40 + 64;

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
        Root root = read(payload, new Tally(footprintLimit(payload.length)));
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
            Root root;
            try {
                root = read(payload, new Tally(footprintLimit(payload.length)));
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
    private Root read(byte[] payload, Tally tally) {
        try (JsonParser p = json.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw invalid("empty manifest");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("manifest is not a JSON object");
            }
            Root root = new Root(tally);
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

    private static MediaType resolveType(Root root, MediaType contentType, MediaType declared) {
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

    /** What the parsed form holds so far, refused past its limit. */
    private static final class Tally {
        private final long limit;
        private long used;

        Tally(long limit) {
            this.limit = limit;
        }

        void add(long bytes) {
            used += bytes;
            if (used > limit) {
                throw invalid("manifest has too many entries for its size: parsed, it would hold more than "
                        + limit + " bytes (" + FOOTPRINT_FACTOR + " times its size plus " + FOOTPRINT_SLACK + ")");
            }
        }

        void addText(String s) {
            if (s != null) {
                add(text(s));
            }
        }

        /** A string's object and array: one byte a character when all fit in Latin-1, else two. */
        static long text(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0xFF) {
                    return OBJECT + 16 + 2L * s.length();
                }
            }
            return OBJECT + 16 + s.length();
        }
    }

    /** A field's value, or the problem found in it, reported only if the field is used. */
    private static final class Checked<T> {
        private T value;
        private RegistryException problem;

        static <T> Checked<T> of(T value) {
            Checked<T> c = new Checked<>();
            c.value = value;
            return c;
        }

        T get() {
            if (problem != null) {
                throw problem;
            }
            return value;
        }

        void fail(RegistryException e) {
            if (problem == null) {
                problem = e;
            }
        }
    }

    /** A list of descriptors: absent (or {@code null}), a list, or the first problem in it. */
    private static final class Descriptors {
        private final Checked<List<Descriptor>> checked = Checked.of(null);

        List<Descriptor> list(String field, boolean required) {
            List<Descriptor> list = checked.get();
            if (list == null) {
                if (required) {
                    throw invalid(field + " is required");
                }
                return List.of();
            }
            return list;
        }
    }

    /** The top-level fields Wharf reads. A field given twice counts once, the last time, as in Go. */
    private static final class Root {
        final Tally tally;
        int schemaVersion = -1;
        boolean hasConfig;
        boolean hasManifests;
        boolean hasSignatures;
        Checked<MediaType> mediaType = Checked.of(null);
        Checked<String> artifactType = Checked.of(null);
        Checked<Descriptor> subject = Checked.of(null);
        Checked<Map<String, String>> annotations = Checked.of(Map.of());
        Checked<Descriptor> config = Checked.of(null);
        Descriptors layers = new Descriptors();
        Descriptors manifests = new Descriptors();

        Root(Tally tally) {
            this.tally = tally;
        }

        long used() {
            return tally.used;
        }

        /** Reads the value of field {@code name}, the parser on its first token, and leaves it on its last. */
        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "schemaVersion" -> schemaVersion = schemaVersion(p);
                case "mediaType" -> mediaType = mediaType(p, "mediaType", tally);
                case "artifactType" -> artifactType = optionalText(p, "artifactType", tally);
                case "annotations" -> annotations = stringMap(p, "annotations", tally);
                case "subject" -> subject = p.currentToken() == JsonToken.VALUE_NULL
                        ? Checked.of(null) : descriptor(p, "subject", tally);
                case "config" -> {
                    hasConfig = true;
                    config = descriptor(p, "config", tally);
                }
                case "layers" -> layers = descriptors(p, "layers", tally);
                case "manifests" -> {
                    hasManifests = true;
                    manifests = descriptors(p, "manifests", tally);
                }
                case "signatures" -> {
                    hasSignatures = true;
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
    }

    // Each reader below starts on a value's first token and ends on its last, whatever it finds: a problem is kept
    // in the result, never thrown halfway through the value (only the tally's refusal ends the whole parse).

    /** The integer {@code schemaVersion}, or -1 when not a JSON integer ("2" and 2.0 are not). */
    private static int schemaVersion(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        p.skipChildren();
        return -1;
    }

    private static Descriptors descriptors(JsonParser p, String field, Tally tally) throws IOException {
        Descriptors d = new Descriptors();
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return d;
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            d.checked.fail(invalid(field + " must be an array"));
            return d;
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            Checked<Descriptor> one = descriptor(p, field + "[" + i + "]", tally);
            if (one.problem != null) {
                d.checked.fail(one.problem);
            } else if (d.checked.problem == null) {
                out.add(one.value);
            }
        }
        if (d.checked.problem == null) {
            d.checked.value = List.copyOf(out);
        }
        return d;
    }

    /** Reads a descriptor object whole, then checks it in the order its fields matter. */
    private static Checked<Descriptor> descriptor(JsonParser p, String where, Tally tally) throws IOException {
        Checked<Descriptor> c = new Checked<>();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            c.fail(invalid(where + " must be a descriptor object"));
            return c;
        }
        tally.add(DESCRIPTOR);
        Checked<MediaType> mediaType = Checked.of(null);
        Checked<String> artifactType = Checked.of(null);
        Checked<Map<String, String>> annotations = Checked.of(Map.of());
        String digest = null;
        boolean sizeValid = false;
        long size = -1;
        List<String> urls = List.of();
        Platform platform = Platform.NONE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "mediaType" -> mediaType = mediaType(p, where + ".mediaType", tally);
                case "digest" -> {
                    digest = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                }
                case "size" -> {
                    sizeValid = t == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0;
                    size = sizeValid ? p.getLongValue() : -1;
                    p.skipChildren();
                }
                case "urls" -> urls = urls(p, tally);
                case "artifactType" -> artifactType = optionalText(p, where + ".artifactType", tally);
                case "annotations" -> annotations = stringMap(p, where + ".annotations", tally);
                case "platform" -> platform = platform(p, tally);
                default -> p.skipChildren();
            }
        }
        try {
            MediaType type = mediaType.get();
            if (type == null) {
                throw invalid(where + ".mediaType is required");
            }
            if (digest == null || !Digest.isValid(digest)) {
                throw invalid(where + ".digest is missing or invalid");
            }
            if (!sizeValid) {
                throw invalid(where + ".size must be a non-negative integer");
            }
            c.value = new Descriptor(type, Digest.parse(digest), size, artifactType.get(), annotations.get(), urls,
                    platform);
        } catch (RegistryException e) {
            c.fail(e);
        }
        return c;
    }

    /** {@code urls}: the text of each entry; anything but an array is ignored, as Wharf always has. */
    private static List<String> urls(JsonParser p, Tally tally) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String u = scalarText(p);
            tally.add(8);
            tally.addText(u);
            urls.add(u);
        }
        return List.copyOf(urls);
    }

    private static Platform platform(JsonParser p, Tally tally) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Platform.NONE;
        }
        String os = null;
        String architecture = null;
        String variant = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String value = scalarText(p);
            switch (name) {
                case "os" -> os = value;
                case "architecture" -> architecture = value;
                case "variant" -> variant = value;
                default -> {
                    // os.version, os.features, features: not used by Wharf
                }
            }
        }
        tally.add(OBJECT);
        tally.addText(os);
        tally.addText(architecture);
        tally.addText(variant);
        return new Platform(os, architecture, variant);
    }

    /** A scalar's text ({@code 7} for a number), or empty for {@code null} and containers (which are skipped). */
    private static String scalarText(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }

    private static Checked<MediaType> mediaType(JsonParser p, String field, Tally tally) throws IOException {
        Checked<MediaType> c = new Checked<>();
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return c;
        }
        if (t != JsonToken.VALUE_STRING || p.getText().isBlank()) {
            p.skipChildren();
            c.fail(invalid(field + " must be a non-empty string"));
            return c;
        }
        MediaType type = MediaType.parseHeader(p.getText());
        if (!type.isShared()) {
            tally.add(OBJECT);
            tally.addText(type.value());
        }
        c.value = type;
        return c;
    }

    private static Checked<String> optionalText(JsonParser p, String field, Tally tally) throws IOException {
        Checked<String> c = new Checked<>();
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return c;
        }
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            c.fail(invalid(field + " must be a string"));
            return c;
        }
        c.value = p.getText();
        tally.addText(c.value);
        return c;
    }

    private static Checked<Map<String, String>> stringMap(JsonParser p, String where, Tally tally) throws IOException {
        Checked<Map<String, String>> c = Checked.of(Map.of());
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return c;
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            c.fail(invalid(where + " must be an object of strings"));
            return c;
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                p.skipChildren();
                c.fail(invalid(where + "." + key + " must be a string"));
                continue;
            }
            if (c.problem != null) {
                continue;
            }
            String value = p.getText();
            // Counted twice over: the map built here and its immutable copy live together until the copy is made.
            tally.add(2L * 16);
            tally.addText(key);
            tally.addText(value);
            out.put(key, value);
        }
        if (c.problem == null) {
            c.value = Map.copyOf(out);
        }
        return c;
    }

    private static RegistryException invalid(String detail) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, detail);
    }
}
