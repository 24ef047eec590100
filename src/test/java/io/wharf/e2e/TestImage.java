package io.wharf.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A multi-platform OCI image with random layers, written to an OCI layout: an index for linux/amd64
 * and linux/arm64, each platform with two gzip layers and its own config. Tags in the layout:
 * {@code <tag>} names the index, {@code <tag>-amd64} and {@code <tag>-arm64} the platform manifests.
 */
record TestImage(OciLayout layout, String tag, String indexDigest, Map<String, Platform> platforms) {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final List<String> ARCHITECTURES = List.of("amd64", "arm64");

    /** One platform's image: its manifest and config digests and its layers' uncompressed digests. */
    record Platform(String manifestDigest, String configDigest, List<String> diffIds) {
    }

    /** Writes a new image under {@code dir}, its content drawn from {@code seed}. */
    static TestImage write(Path dir, String tag, long seed) throws IOException {
        OciLayout layout = OciLayout.create(dir);
        Random random = new Random(seed);
        ObjectNode index = OciLayout.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        Map<String, Platform> platforms = new LinkedHashMap<>();
        for (String arch : ARCHITECTURES) {
            ObjectNode descriptor = writePlatform(layout, random, arch, platforms);
            layout.tag(tag + "-" + arch, descriptor);
            ObjectNode entry = descriptor.deepCopy();
            entry.putObject("platform").put("architecture", arch).put("os", "linux");
            manifests.add(entry);
        }
        ObjectNode indexDescriptor = layout.writeBlob(OCI_INDEX, OciLayout.JSON.writeValueAsBytes(index));
        layout.tag(tag, indexDescriptor);
        return new TestImage(layout, tag, indexDescriptor.get("digest").asText(), platforms);
    }

    private static ObjectNode writePlatform(OciLayout layout, Random random, String arch,
            Map<String, Platform> platforms) throws IOException {
        // One layer above Distribution's and skopeo's small-chunk sizes, one below.
        List<TarLayer> layers = List.of(TarLayer.random(random, arch + "-big.bin", 300_000 + random.nextInt(1000)),
                TarLayer.random(random, arch + "-small.bin", 1_000 + random.nextInt(1000)));
        ObjectNode manifest = OciLayout.JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        ObjectNode config = OciLayout.JSON.createObjectNode();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", arch);
        config.put("os", "linux");
        config.putObject("config").putArray("Env").add("WHARF_E2E=" + random.nextLong());
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode layerDescriptors = OciLayout.JSON.createArrayNode();
        for (TarLayer layer : layers) {
            diffIds.add(OciLayout.sha256(layer.tar()));
            layerDescriptors.add(layout.writeBlob(OCI_LAYER_GZIP, layer.gzip()));
        }
        ObjectNode configDescriptor = layout.writeBlob(OCI_CONFIG, OciLayout.JSON.writeValueAsBytes(config));
        manifest.set("config", configDescriptor);
        manifest.set("layers", layerDescriptors);
        ObjectNode descriptor = layout.writeBlob(OCI_MANIFEST, OciLayout.JSON.writeValueAsBytes(manifest));
        platforms.put(arch, new Platform(descriptor.get("digest").asText(), configDescriptor.get("digest").asText(),
                diffIds.valueStream().map(n -> n.asText()).toList()));
        return descriptor;
    }

    Platform platform(String arch) {
        return platforms.get(arch);
    }
}
