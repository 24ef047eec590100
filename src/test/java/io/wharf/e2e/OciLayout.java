package io.wharf.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}): {@code oci-layout},
 * {@code index.json} and {@code blobs/sha256/<hex>}. Writes blobs and tags; reads them back.
 */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    /** A layout that already exists at {@code dir} (as written by skopeo, say). */
    static OciLayout open(Path dir) {
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
            throw new AssertionError("no OCI layout at " + dir);
        }
        return new OciLayout(dir);
    }

    /** A new, empty layout at {@code dir}. */
    static OciLayout create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        return new OciLayout(dir);
    }

    Path dir() {
        return dir;
    }

    /** Stores {@code content} as a blob and returns its descriptor. */
    ObjectNode writeBlob(String mediaType, byte[] content) throws IOException {
        String digest = sha256(content);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), content);
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", content.length);
        return d;
    }

    /** Names the blob of {@code descriptor} {@code tag} in {@code index.json}. */
    void tag(String tag, ObjectNode descriptor) throws IOException {
        ObjectNode index = (ObjectNode) JSON.readTree(dir.resolve("index.json").toFile());
        ObjectNode entry = descriptor.deepCopy();
        entry.putObject("annotations").put(REF_NAME, tag);
        ((ArrayNode) index.get("manifests")).add(entry);
        JSON.writeValue(dir.resolve("index.json").toFile(), index);
    }

    /** The digest {@code tag} names in {@code index.json}; fails when the tag is absent. */
    String resolve(String tag) throws IOException {
        for (JsonNode m : JSON.readTree(dir.resolve("index.json").toFile()).path("manifests")) {
            if (tag.equals(m.path("annotations").path(REF_NAME).asText(null))) {
                return m.get("digest").asText();
            }
        }
        throw new AssertionError("tag " + tag + " not in " + dir.resolve("index.json"));
    }

    byte[] blob(String digest) throws IOException {
        return Files.readAllBytes(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    /** Every blob in the layout by digest, each checked to hash to its own name. */
    Map<String, byte[]> blobs() throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("blobs/sha256"))) {
            for (Path f : files.toList()) {
                byte[] content = Files.readAllBytes(f);
                String digest = "sha256:" + f.getFileName();
                if (!sha256(content).equals(digest)) {
                    throw new AssertionError("blob " + f + " does not hash to its name");
                }
                all.put(digest, content);
            }
        }
        return all;
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
