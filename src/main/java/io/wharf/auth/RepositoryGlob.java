package io.wharf.auth;

import java.util.regex.Pattern;

/**
 * A repository name pattern: {@code *} matches within one path component, {@code **} any number of components
 * ({@code team-a/**} matches {@code team-a/app} and {@code team-a/x/y}, not {@code team-a}); everything else
 * matches itself.
 */
public final class RepositoryGlob {
    private final String text;
    private final Pattern pattern;

    private RepositoryGlob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Compiles a pattern; never fails, since every character outside {@code *} is literal. */
    public static RepositoryGlob of(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return new RepositoryGlob(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String repository) {
        return pattern.matcher(repository).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
