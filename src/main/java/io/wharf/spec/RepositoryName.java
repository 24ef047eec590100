package io.wharf.spec;

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

    public RepositoryName {
        if (!isValid(value)) {
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
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && followsGrammar(value);
    }

    /**
     * Whether the text is {@code [a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*},
     * the spec's grammar, scanned by hand: every request naming a repository is checked, and the regular
     * expression's matcher cost a tenth of what a small blob {@code GET} allocated.
     */
    private static boolean followsGrammar(String s) {
        int i = 0;
        int n = s.length();
        while (true) {
            i = alphanumerics(s, i);
            if (i < 0) {
                return false;
            }
            while (i < n && s.charAt(i) != '/') {
                char c = s.charAt(i++);
                if (c == '_') {
                    if (i < n && s.charAt(i) == '_') {
                        i++;
                    }
                } else if (c == '-') {
                    while (i < n && s.charAt(i) == '-') {
                        i++;
                    }
                } else if (c != '.') {
                    return false;
                }
                i = alphanumerics(s, i);
                if (i < 0) {
                    return false;
                }
            }
            if (i == n) {
                return true;
            }
            i++;
        }
    }

    /** The index after a non-empty run of {@code [a-z0-9]} starting at {@code from}, or -1 if there is none. */
    private static int alphanumerics(String s, int from) {
        int i = from;
        while (i < s.length() && isLowerAlphanumeric(s.charAt(i))) {
            i++;
        }
        return i > from ? i : -1;
    }

    private static boolean isLowerAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
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
