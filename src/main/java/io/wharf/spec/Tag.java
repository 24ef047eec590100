package io.wharf.spec;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution-spec "Pulling manifests").
 *
 * @param value the validated tag
 */
public record Tag(String value) implements Reference, Comparable<Tag> {
    /** Longest tag the spec's grammar allows. */
    private static final int MAX_LENGTH = 128;

    public Tag {
        if (!isValid(value)) {
            throw new RegistryException(ErrorCode.TAG_INVALID,
                    "invalid tag: " + Digest.abbreviate(String.valueOf(value)));
        }
    }

    /** True when the text is a valid tag. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || value.charAt(0) == '.'
                || value.charAt(0) == '-') {
            return false;
        }
        // Scanned by hand rather than by a regular expression: every manifest request by tag is checked.
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Tag o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
