package io.wharf.http;

import io.wharf.spec.MediaType;
import java.util.List;

/** Content negotiation for manifests, as Distribution does it. */
final class AcceptHeader {
    private AcceptHeader() {
    }

    /**
     * True when the client accepts a manifest of the type. A client that sends no {@code Accept},
     * a wildcard, or no manifest type at all accepts anything; one that lists manifest types but
     * not this one does not (so it gets {@code MANIFEST_UNKNOWN} rather than a format it can't read).
     */
    static boolean accepts(List<String> acceptValues, MediaType type) {
        if (acceptValues == null || acceptValues.isEmpty()) {
            return true;
        }
        boolean listsManifestTypes = false;
        for (String value : acceptValues) {
            for (String part : value.split(",")) {
                MediaType t = MediaType.parseHeader(part);
                if (t == null) {
                    continue;
                }
                if (t.value().equals("*/*") || t.value().equals("application/*") || t.equals(type)) {
                    return true;
                }
                listsManifestTypes |= t.isManifest();
            }
        }
        return !listsManifestTypes;
    }
}
