package io.wharf.lifecycle.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes small OCI image layouts on disk for {@code skopeo copy oci:DIR:TAG ...}. */
final class OciImages {
    private OciImages() {
    }

    /**
     * Writes an image whose layers have the given contents into a fresh OCI layout.
     *
     * @return the digests of the image's blobs: config first, then layers, then the manifest
     */
    static List<Digest> write(Path dir, String tag, List<String> layerContents) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Digest> digests = new ArrayList<>();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[]},\"config\":{},\"created\":\"2026-01-01T00:00:00Z\",\"tag\":\"" + tag + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, Object> configDesc = blob(dir, config, "application/vnd.oci.image.config.v1+json", digests);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (String content : layerContents) {
            // Compressed already, so that skopeo pushes the blob as it is and its digest stays known.
            layers.add(blob(dir, gzip(content), "application/vnd.oci.image.layer.v1.tar+gzip", digests));
        }
        byte[] manifest = json.writeValueAsBytes(Map.of("schemaVersion", 2,
                "mediaType", "application/vnd.oci.image.manifest.v1+json", "config", configDesc, "layers", layers));
        Map<String, Object> manifestDesc = blob(dir, manifest, "application/vnd.oci.image.manifest.v1+json", digests);
        manifestDesc.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(Map.of("schemaVersion", 2,
                "manifests", List.of(manifestDesc))));
        return digests;
    }

    private static byte[] gzip(String content) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static Map<String, Object> blob(Path dir, byte[] content, String type, List<Digest> digests)
            throws IOException {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        Files.write(dir.resolve("blobs/sha256/" + d.hex()), content);
        digests.add(d);
        Map<String, Object> desc = new java.util.LinkedHashMap<>();
        desc.put("mediaType", type);
        desc.put("digest", d.toString());
        desc.put("size", content.length);
        return desc;
    }

    /** The data file of a blob in a registry data directory. */
    static Path blobData(Path root, Digest d) {
        return root.resolve("docker/registry/v2/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
    }
}
