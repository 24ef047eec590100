package io.wharf.spec;

import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor, validated: media type present, digest well formed, size not negative.
 *
 * @param mediaType the content's media type
 * @param digest the content's digest
 * @param size the content's length in bytes
 * @param artifactType the artifact type, or {@code null}
 * @param annotations the annotations (possibly empty)
 * @param urls foreign URLs (possibly empty)
 * @param platform the {@code platform} of an index entry, {@link Platform#NONE} when it has none
 */
public record Descriptor(MediaType mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, List<String> urls, Platform platform) {
}
