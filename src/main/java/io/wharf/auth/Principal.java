package io.wharf.auth;

import java.util.Objects;

/**
 * Who made a request.
 *
 * @param name the user name; empty for an anonymous caller
 */
public record Principal(String name) {
    public static final Principal ANONYMOUS = new Principal("");

    public Principal {
        Objects.requireNonNull(name, "name");
    }

    public boolean anonymous() {
        return name.isEmpty();
    }

    /** The name for logs: the user, or {@code -} when anonymous. */
    @Override
    public String toString() {
        return anonymous() ? "-" : name;
    }
}
