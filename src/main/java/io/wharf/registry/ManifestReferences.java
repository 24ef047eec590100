package io.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;
import io.wharf.spec.ManifestParser;
import io.wharf.spec.RegistryException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stored manifest refers to, for garbage collection: its blobs (config and layers), its
 * child manifests and its subject. Remembers every manifest it read during one collection.
 *
 * <p>Docker schema1 manifests, which the registry no longer accepts but a store written by an old
 * Distribution may hold, are read for their {@code fsLayers[].blobSum}, so their layers stay.
 */
final class ManifestReferences {
    /**
     * @param blobs config and layer digests
     * @param children child manifests of an index
     * @param subject the subject, or {@code null}
     */
    record Refs(List<Digest> blobs, List<Digest> children, Digest subject) {
    }

    /** A stored manifest that cannot be read: collecting would risk deleting what it references. */
    static final class UnreadableManifestException extends IOException {
        UnreadableManifestException(Digest digest, String why) {
            super("manifest " + digest + " cannot be parsed (" + why + "); nothing was deleted");
        }
    }

    private final StorageDriver driver;
    private final ManifestParser parser;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Digest, Optional<Refs>> read = new HashMap<>();

    ManifestReferences(StorageDriver driver, ManifestParser parser) {
        this.driver = driver;
        this.parser = parser;
    }

    /**
     * The manifest's references, or empty when its blob is missing.
     *
     * @throws UnreadableManifestException when the blob exists but is not a manifest
     */
    Optional<Refs> of(Digest digest) throws IOException {
        Optional<Refs> cached = read.get(digest);
        if (cached != null) {
            return cached;
        }
        Optional<Refs> refs = load(digest);
        read.put(digest, refs);
        return refs;
    }

    private Optional<Refs> load(Digest digest) throws IOException {
        byte[] payload;
        try {
            payload = driver.getContent(StorageLayout.blobData(digest));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(refs(parser.parse(payload, null)));
        } catch (RegistryException e) {
            return Optional.of(schema1(digest, payload, e.getMessage()));
        }
    }

    private static Refs refs(Manifest m) {
        List<Digest> blobs = new ArrayList<>(m.layers().size() + 1);
        if (m.config() != null) {
            blobs.add(m.config().digest());
        }
        m.layers().forEach(d -> blobs.add(d.digest()));
        List<Digest> children = m.manifests().stream().map(Descriptor::digest).toList();
        return new Refs(blobs, children, m.subject() == null ? null : m.subject().digest());
    }

    private Refs schema1(Digest digest, byte[] payload, String why) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (IOException e) {
            throw new UnreadableManifestException(digest, why);
        }
        if (root == null || root.path("schemaVersion").asInt(-1) != 1 || !root.path("fsLayers").isArray()) {
            throw new UnreadableManifestException(digest, why);
        }
        List<Digest> blobs = new ArrayList<>();
        for (JsonNode layer : root.get("fsLayers")) {
            String sum = layer.path("blobSum").asText("");
            if (!Digest.isValid(sum)) {
                throw new UnreadableManifestException(digest, "schema1 blobSum " + sum);
            }
            blobs.add(Digest.parse(sum));
        }
        return new Refs(blobs, List.of(), null);
    }
}
