package io.wharf.registry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A shell-style pattern for repository names and tags: {@code *} matches any run of characters
 * except {@code /}, {@code **} matches any run including {@code /}, {@code ?} matches one
 * character except {@code /}; everything else matches itself. The whole text must match.
 *
 * @param glob the pattern as written
 */
public record GlobPattern(String glob, Pattern regex) {

    /**
     * Compiles a glob.
     *
     * @throws IllegalArgumentException when the glob is null or empty
     */
    public static GlobPattern compile(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new GlobPattern(glob, Pattern.compile(re.toString()));
    }

    /** Compiles every glob of a list. */
    public static List<GlobPattern> compileAll(List<String> globs) {
        return globs.stream().map(GlobPattern::compile).toList();
    }

    /** True when the whole text matches. */
    public boolean matches(String text) {
        return regex.matcher(text).matches();
    }

    /** The first pattern of the list matching the text, or {@code null}. */
    public static GlobPattern firstMatch(List<GlobPattern> patterns, String text) {
        for (GlobPattern p : patterns) {
            if (p.matches(text)) {
                return p;
            }
        }
        return null;
    }
}
