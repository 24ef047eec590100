package io.wharf.http;

import io.wharf.spec.Digest;

/** Manifest texts for tests, written out by hand so that each test sees exactly what it pushes. */
final class Manifests {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** The OCI empty blob {@code {}}, used as the config of artifacts. */
    static final String EMPTY_JSON = "{}";

    private Manifests() {
    }

    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static String platformDescriptor(String mediaType, Digest digest, long size, String arch) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
    }

    static String ociManifest(String config, String... layers) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[" + String.join(",", layers) + "]}";
    }

    static String ociIndex(String... manifests) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + String.join(",", manifests) + "]}";
    }

    static String dockerManifest(String config, String... layers) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[" + String.join(",", layers) + "]}";
    }

    static String dockerList(String... manifests) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\",\"manifests\":["
                + String.join(",", manifests) + "]}";
    }

    /**
     * An OCI artifact manifest: the empty config, one layer, an {@code artifactType} (omitted when
     * null), an optional subject and annotations.
     */
    static String artifact(String artifactType, String config, String layer, String subject, String annotations) {
        StringBuilder b = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"");
        if (artifactType != null) {
            b.append(",\"artifactType\":\"").append(artifactType).append('"');
        }
        b.append(",\"config\":").append(config).append(",\"layers\":[").append(layer == null ? "" : layer).append(']');
        if (subject != null) {
            b.append(",\"subject\":").append(subject);
        }
        if (annotations != null) {
            b.append(",\"annotations\":").append(annotations);
        }
        return b.append('}').toString();
    }
}
