package io.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;
import io.wharf.spec.ManifestParser;
import io.wharf.spec.RegistryException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stored manifest refers to, for garbage collection: its blobs (config and layers), its
 * child manifests and its subject. Remembers every manifest it read during one collection,
 * and across collections in a cache bounded by {@link CacheBudget#keptDigests()}.
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
    private final Cache<Digest, Refs> known;
    /** Manifests found missing in this collection, not kept beyond it: the blob may be pushed again. */
    private final Set<Digest> missing = ConcurrentHashMap.newKeySet();

    /** References read once per instance (a scrub's). */
    ManifestReferences(StorageDriver driver, ManifestParser parser) {
        this(driver, parser, newKnown(CacheBudget.ofHeap().keptDigests()));
    }

    /**
     * References remembered in {@code known} across instances: a manifest's content never changes (its digest
     * is its content's hash), so one read serves every later collection, and an unchanged repository costs the
     * listing of its links and its tags, not a read per manifest.
     */
    ManifestReferences(StorageDriver driver, ManifestParser parser, Cache<Digest, Refs> known) {
        this.driver = driver;
        this.parser = parser;
        this.known = known;
    }

    /**
     * A cache for {@link #ManifestReferences(StorageDriver, ManifestParser, Cache)} holding up to {@code digests}
     * references in all: a registry with more re-reads the manifests evicted, least recently used first.
     */
    static Cache<Digest, Refs> newKnown(long digests) {
        return Caffeine.newBuilder().maximumWeight(digests)
                .weigher((Digest d, Refs r) -> 1 + r.blobs().size() + r.children().size()).build();
    }

    /**
     * The manifest's references, or empty when its blob is missing. Thread-safe; two threads asking for the same
     * manifest at once may both read it.
     *
     * @throws UnreadableManifestException when the blob exists but is not a manifest
     */
    Optional<Refs> of(Digest digest) throws IOException {
        Refs cached = known.getIfPresent(digest);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (missing.contains(digest)) {
            return Optional.empty();
        }
        Optional<Refs> refs = load(digest);
        if (refs.isPresent()) {
            known.put(digest, refs.get());
        } else {
            missing.add(digest);
        }
        return refs;
    }

    /** Forgets manifests whose blobs were swept, so that a later collection reports them missing if still linked. */
    void forget(java.util.Collection<Digest> swept) {
        known.invalidateAll(swept);
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
