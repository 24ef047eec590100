package io.wharf.spec;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A media type (type/subtype, parameters dropped, lower-cased), with the constants of the Docker and
 * OCI manifest formats.
 *
 * @param value the normalised media type
 */
public record MediaType(String value) {
    public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
    public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
    public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
    public static final MediaType DOCKER_MANIFEST =
            new MediaType("application/vnd.docker.distribution.manifest.v2+json");
    public static final MediaType DOCKER_MANIFEST_LIST =
            new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
    public static final MediaType DOCKER_SCHEMA1 =
            new MediaType("application/vnd.docker.distribution.manifest.v1+json");
    public static final MediaType DOCKER_SCHEMA1_SIGNED =
            new MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws");
    public static final MediaType DOCKER_FOREIGN_LAYER =
            new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER =
            new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER_GZIP =
            new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER_ZSTD =
            new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");
    public static final MediaType JSON = new MediaType("application/json");

    /** The {@code Accept} header a client sends for a manifest: every format Wharf stores (schema1 is refused). */
    public static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX.value, OCI_MANIFEST.value,
            DOCKER_MANIFEST_LIST.value, DOCKER_MANIFEST.value);

    /**
     * Types that nearly every manifest names, shared by every parsed manifest instead of a copy per descriptor: an
     * index of thousands of entries or a manifest of thousands of layers holds one instance of each.
     */
    private static final Map<String, MediaType> SHARED = shared(OCI_MANIFEST, OCI_INDEX, OCI_EMPTY, DOCKER_MANIFEST,
            DOCKER_MANIFEST_LIST, DOCKER_FOREIGN_LAYER, OCI_NONDISTRIBUTABLE_LAYER, OCI_NONDISTRIBUTABLE_LAYER_GZIP,
            OCI_NONDISTRIBUTABLE_LAYER_ZSTD, JSON,
            new MediaType("application/vnd.oci.image.config.v1+json"),
            new MediaType("application/vnd.oci.image.layer.v1.tar"),
            new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"),
            new MediaType("application/vnd.oci.image.layer.v1.tar+zstd"),
            new MediaType("application/vnd.docker.container.image.v1+json"),
            new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"),
            new MediaType("application/vnd.in-toto+json"),
            new MediaType("application/vnd.dev.cosign.simplesigning.v1+json"));

    private static final Set<MediaType> MANIFEST_TYPES =
            Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);
    private static final Set<MediaType> FOREIGN_LAYERS = Set.of(DOCKER_FOREIGN_LAYER,
            OCI_NONDISTRIBUTABLE_LAYER, OCI_NONDISTRIBUTABLE_LAYER_GZIP, OCI_NONDISTRIBUTABLE_LAYER_ZSTD);

    public MediaType {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty media type");
        }
    }

    /** Parses a header value, dropping parameters and folding case; {@code null} for blank input. */
    public static MediaType parseHeader(String header) {
        if (header == null) {
            return null;
        }
        int semi = header.indexOf(';');
        String v = (semi >= 0 ? header.substring(0, semi) : header).trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        MediaType shared = SHARED.get(v);
        return shared != null ? shared : new MediaType(v);
    }

    /** Whether this is one of the common types {@link #parseHeader} answers with a shared instance. */
    public boolean isShared() {
        return SHARED.get(value) == this;
    }

    private static Map<String, MediaType> shared(MediaType... types) {
        Map<String, MediaType> m = new java.util.HashMap<>();
        for (MediaType t : types) {
            m.put(t.value, t);
        }
        return Map.copyOf(m);
    }

    /** The four manifest formats this registry stores and serves. */
    public static Set<MediaType> manifestTypes() {
        return MANIFEST_TYPES;
    }

    /** True for the four manifest formats this registry stores and serves. */
    public boolean isManifest() {
        return MANIFEST_TYPES.contains(this);
    }

    /** True for an index or manifest list. */
    public boolean isIndex() {
        return equals(OCI_INDEX) || equals(DOCKER_MANIFEST_LIST);
    }

    /** True for Docker schema1, which this registry refuses. */
    public boolean isSchema1() {
        return equals(DOCKER_SCHEMA1) || equals(DOCKER_SCHEMA1_SIGNED);
    }

    /** True for layers that live outside the registry (a descriptor with {@code urls}). */
    public boolean isForeignLayer() {
        return FOREIGN_LAYERS.contains(this);
    }

    @Override
    public String toString() {
        return value;
    }
}
