package io.wharf.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token readers behind {@link ManifestParser}: each reads one field's value from a {@link JsonParser} straight
 * into the value types, tallying what the parsed form holds. A problem with a value is kept with it and reported only
 * if the field is used, so that the parser reports problems in the order the fields matter, not the order they
 * were written; only the {@link Tally}'s refusal ends a parse at once.
 */
final class ManifestFields {
    /** An object's header and a reference to it from its holder. */
    private static final int OBJECT = 24;
    /** A descriptor: the record, its list slot, its {@link Digest} (object and hex text). */
    private static final int DESCRIPTOR = 56 + OBJECT + 40 + 64;

    private ManifestFields() {
    }

    /** What the parsed form holds so far, refused past its limit. */
    static final class Tally {
        private final long limit;
        private long used;

        Tally(long limit) {
            this.limit = limit;
        }

        void add(long bytes) {
            used += bytes;
            if (used > limit) {
                throw invalid("manifest has too many entries for its size: parsed, it would hold more than "
                        + limit + " bytes (" + ManifestParser.FOOTPRINT_FACTOR + " times its size plus "
                        + ManifestParser.FOOTPRINT_SLACK + ")");
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
    static final class Checked<T> {
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
    static final class Descriptors {
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
    static final class Root {
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
    static int schemaVersion(JsonParser p) throws IOException {
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
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            Checked<Descriptor> c = new Checked<>();
            c.fail(invalid(where + " must be a descriptor object"));
            return c;
        }
        tally.add(DESCRIPTOR);
        DescriptorFields fields = new DescriptorFields(where, tally);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            fields.read(name, p);
        }
        return fields.check();
    }

    /** A descriptor's fields as read, before they are checked. A field given twice counts the last time. */
    private static final class DescriptorFields {
        final String where;
        final Tally tally;
        Checked<MediaType> mediaType = Checked.of(null);
        Checked<String> artifactType = Checked.of(null);
        Checked<Map<String, String>> annotations = Checked.of(Map.of());
        String digest;
        boolean sizeValid;
        long size = -1;
        List<String> urls = List.of();
        Platform platform = Platform.NONE;

        DescriptorFields(String where, Tally tally) {
            this.where = where;
            this.tally = tally;
        }

        /** Reads the value of field {@code name}, the parser on its first token, and leaves it on its last. */
        void read(String name, JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
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

        Checked<Descriptor> check() {
            Checked<Descriptor> c = new Checked<>();
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
                c.value = new Descriptor(type, Digest.parse(digest), size, artifactType.get(), annotations.get(),
                        urls, platform);
            } catch (RegistryException e) {
                c.fail(e);
            }
            return c;
        }
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
