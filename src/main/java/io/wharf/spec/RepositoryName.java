package io.wharf.spec;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec defines it: path components of lower-case
 * alphanumerics joined by {@code .}, {@code _}, {@code __} or dashes, separated by {@code /}.
 * At most 255 characters, the limit Distribution enforces.
 *
 * @param value the validated name
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    /** Longest accepted name, as in CNCF Distribution. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !NAME.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.NAME_INVALID,
                    "invalid repository name: " + Digest.abbreviate(String.valueOf(value)));
        }
    }

    /**
     * Parses a name.
     *
     * @throws RegistryException {@link ErrorCode#NAME_INVALID}
     */
    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    /** True when the name is valid. */
    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && NAME.matcher(value).matches();
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
