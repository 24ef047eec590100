package io.wharf.spec;

import java.util.regex.Pattern;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution-spec "Pulling manifests").
 *
 * @param value the validated tag
 */
public record Tag(String value) implements Reference, Comparable<Tag> {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.TAG_INVALID,
                    "invalid tag: " + Digest.abbreviate(String.valueOf(value)));
        }
    }

    /** True when the text is a valid tag. */
    public static boolean isValid(String value) {
        return value != null && TAG.matcher(value).matches();
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
