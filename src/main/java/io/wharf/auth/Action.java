package io.wharf.auth;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do to a repository, with the names of Distribution's token scopes. */
public enum Action {
    PULL,
    PUSH,
    DELETE;

    /** The scope name: {@code pull}, {@code push}, {@code delete}. */
    public String scopeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a scope name stands for; empty for names Wharf does not know. */
    public static Optional<Action> fromScopeName(String name) {
        for (Action a : values()) {
            if (a.scopeName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
