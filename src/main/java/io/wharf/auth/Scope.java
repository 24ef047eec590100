package io.wharf.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One resource and the actions wanted on it, written as in Distribution's token scopes:
 * {@code repository:team/app:pull,push} or {@code registry:catalog:*}.
 *
 * @param type {@code repository} or {@code registry}
 * @param name the repository name, or {@code catalog}
 * @param actions the action names, in order, without duplicates
 */
public record Scope(String type, String name, List<String> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";

    public Scope {
        actions = List.copyOf(actions);
        // Copied through a set only when needed: every request builds the scope its route needs.
        if (actions.size() > 1 && new HashSet<>(actions).size() < actions.size()) {
            actions = List.copyOf(new LinkedHashSet<>(actions));
        }
    }

    /** A repository scope with the given actions. */
    public static Scope repository(String name, Action... actions) {
        List<String> names = new ArrayList<>();
        for (Action a : actions) {
            names.add(a.scopeName());
        }
        return new Scope(REPOSITORY, name, names);
    }

    /** {@code registry:catalog:*}, what Distribution asks for the catalog. */
    public static Scope catalog() {
        return new Scope(REGISTRY, "catalog", List.of("*"));
    }

    /** {@code registry:admin:*}: Wharf's admin API (garbage collection, repository deletion, metrics). */
    public static Scope admin() {
        return new Scope(REGISTRY, "admin", List.of("*"));
    }

    /** Whether this is the admin scope. */
    public boolean isAdmin() {
        return type.equals(REGISTRY) && name.equals("admin");
    }

    /** Whether this is the catalog scope. */
    public boolean isCatalog() {
        return type.equals(REGISTRY) && name.equals("catalog");
    }

    /**
     * Parses one scope of a token request; the name may itself contain colons (a host with a port).
     *
     * @return empty when the text is not {@code type:name:actions}
     */
    public static Optional<Scope> parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            return Optional.empty();
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        List<String> actions = List.of(text.substring(last + 1).split(","));
        if (name.isEmpty() || actions.stream().anyMatch(String::isBlank)) {
            return Optional.empty();
        }
        return Optional.of(new Scope(type, name, actions));
    }

    /** The same resource with only the actions also in {@code allowed} ({@code *} allows everything). */
    public Scope intersect(Set<String> allowed) {
        if (allowed.contains("*")) {
            return this;
        }
        return new Scope(type, name, actions.stream().filter(allowed::contains).toList());
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
