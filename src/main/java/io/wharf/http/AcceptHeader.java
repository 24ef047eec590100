package io.wharf.http;

import io.wharf.spec.MediaType;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** Content negotiation for manifests, as Distribution does it. */
final class AcceptHeader {
    private static final String[] MANIFEST_TYPES =
            MediaType.manifestTypes().stream().map(MediaType::value).toArray(String[]::new);

    private AcceptHeader() {
    }

    /**
     * True when the client accepts a manifest of the type. A client that sends no {@code Accept},
     * a wildcard, or no manifest type at all accepts anything; one that lists manifest types but
     * not this one does not (so it gets {@code MANIFEST_UNKNOWN} rather than a format it can't read).
     *
     * <p>Each comma-separated entry of every {@code Accept} header counts, its parameters dropped, blanks trimmed and
     * ASCII case folded, as {@link MediaType#parseHeader} reads one. The values are scanned in place: every manifest
     * request is checked, and splitting and parsing them made a list and a string per entry.
     */
    static boolean accepts(HttpFields headers, MediaType type) {
        boolean listsManifestTypes = false;
        for (HttpField field : headers) {
            if (field.getHeader() != HttpHeader.ACCEPT || field.getValue() == null) {
                continue;
            }
            String value = field.getValue();
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int semi = value.indexOf(';', start);
                int typeEnd = semi >= 0 && semi < end ? semi : end;
                int from = start;
                while (from < typeEnd && value.charAt(from) <= ' ') {
                    from++;
                }
                int to = typeEnd;
                while (to > from && value.charAt(to - 1) <= ' ') {
                    to--;
                }
                if (from < to) {
                    if (is(value, from, to, "*/*") || is(value, from, to, "application/*")
                            || is(value, from, to, type.value())) {
                        return true;
                    }
                    listsManifestTypes |= isManifestType(value, from, to);
                }
                start = end + 1;
            }
        }
        return !listsManifestTypes;
    }

    private static boolean isManifestType(String text, int from, int to) {
        for (String t : MANIFEST_TYPES) {
            if (is(text, from, to, t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text[from, to)} is {@code lower}, ASCII letters compared without case. */
    private static boolean is(String text, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = text.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
