package io.wharf.spec;

import java.util.List;
import java.util.Map;

/**
 * A parsed and validated manifest (image manifest or index, Docker or OCI).
 *
 * @param mediaType the manifest's media type
 * @param artifactType the artifact type as the referrers API reports it: {@code artifactType}, else
 *     the config's media type for an image manifest, else {@code null}
 * @param config the config descriptor of an image manifest, {@code null} for an index
 * @param layers the layers of an image manifest (empty for an index)
 * @param manifests the children of an index (empty for an image manifest)
 * @param subject the {@code subject} descriptor, or {@code null}
 * @param annotations the manifest's annotations (possibly empty)
 * @param footprint about how many bytes of heap this parsed form holds (the payload not included), for caches
 *     that budget their memory
 */
public record Manifest(MediaType mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
        List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations, long footprint) {

    /** True for an index or manifest list. */
    public boolean isIndex() {
        return mediaType.isIndex();
    }
}
