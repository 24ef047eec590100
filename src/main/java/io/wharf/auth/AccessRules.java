package io.wharf.auth;

import io.wharf.config.AuthConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wharf's {@code access} section as a decision: which actions a principal may perform on a repository. Without
 * rules every authenticated user may do everything (Distribution's behaviour); the admin group may always do
 * everything; anonymous callers may pull what {@code anonymous.pull} names, and nothing else.
 */
public final class AccessRules {
    private final Map<String, List<String>> groups;
    private final String adminGroup;
    private final List<RepositoryGlob> anonymousPull;
    private final List<CompiledRule> rules;
    private final boolean anyRules;

    private record CompiledRule(List<RepositoryGlob> repositories, List<String> pull, List<String> push,
            List<String> delete) {
    }

    public AccessRules(AuthConfig.Access access) {
        this.groups = access.groups();
        this.adminGroup = access.adminGroup();
        this.anonymousPull = access.anonymousPull().stream().map(RepositoryGlob::of).toList();
        var compiled = new ArrayList<CompiledRule>();
        for (AuthConfig.Rule r : access.rules()) {
            compiled.add(new CompiledRule(r.repositories().stream().map(RepositoryGlob::of).toList(), r.pull(),
                    r.push(), r.delete()));
        }
        this.rules = List.copyOf(compiled);
        this.anyRules = !rules.isEmpty() || !adminGroup.isEmpty();
    }

    /** The actions {@code principal} may perform on {@code repository}; push implies pull. */
    public Set<Action> allowed(Principal principal, String repository) {
        if (principal.anonymous()) {
            boolean pull = anonymousPull.stream().anyMatch(g -> g.matches(repository));
            return pull ? EnumSet.of(Action.PULL) : EnumSet.noneOf(Action.class);
        }
        if (!anyRules || isAdmin(principal)) {
            return EnumSet.allOf(Action.class);
        }
        EnumSet<Action> allowed = EnumSet.noneOf(Action.class);
        for (CompiledRule r : rules) {
            if (r.repositories().stream().anyMatch(g -> g.matches(repository))) {
                if (names(r.pull(), principal)) {
                    allowed.add(Action.PULL);
                }
                if (names(r.push(), principal)) {
                    allowed.add(Action.PUSH);
                    allowed.add(Action.PULL);
                }
                if (names(r.delete(), principal)) {
                    allowed.add(Action.DELETE);
                }
            }
        }
        if (anonymousPull.stream().anyMatch(g -> g.matches(repository))) {
            allowed.add(Action.PULL);
        }
        return allowed;
    }

    /** Whether the principal may list the catalog (filtered to what it may pull). */
    public boolean mayListCatalog(Principal principal) {
        return !principal.anonymous() || !anonymousPull.isEmpty();
    }

    /** Whether anonymous callers may pull anything at all. */
    public boolean anonymousPullConfigured() {
        return !anonymousPull.isEmpty();
    }

    /**
     * Whether the principal may use the admin API: a member of the admin group or, when no rules are
     * configured (every user may do everything), any authenticated user; never an anonymous caller.
     */
    public boolean mayAdminister(Principal principal) {
        return !principal.anonymous() && (!anyRules || isAdmin(principal));
    }

    /** Whether {@code scope} is wholly allowed. */
    public boolean allows(Principal principal, Scope scope) {
        if (scope.isAdmin()) {
            return mayAdminister(principal);
        }
        if (scope.isCatalog()) {
            return mayListCatalog(principal);
        }
        if (!scope.type().equals(Scope.REPOSITORY)) {
            return false;
        }
        Set<Action> allowed = allowed(principal, scope.name());
        return scope.actions().stream().allMatch(a -> Action.fromScopeName(a).filter(allowed::contains).isPresent());
    }

    /** The part of {@code scope} the principal may have, for a token. */
    public Scope grantable(Principal principal, Scope scope) {
        if (scope.isAdmin()) {
            return mayAdminister(principal) ? scope : scope.intersect(Set.of());
        }
        if (scope.isCatalog()) {
            return mayListCatalog(principal) ? scope : scope.intersect(Set.of());
        }
        if (!scope.type().equals(Scope.REPOSITORY)) {
            return scope.intersect(Set.of());
        }
        Set<Action> allowed = allowed(principal, scope.name());
        return new Scope(scope.type(), scope.name(), scope.actions().stream()
                .filter(a -> Action.fromScopeName(a).filter(allowed::contains).isPresent()).toList());
    }

    /** This rule set as a grant for one principal. */
    public Grant grantFor(Principal principal) {
        return Grant.of(principal, (repository, action) -> allowed(principal, repository).contains(action));
    }

    private boolean isAdmin(Principal principal) {
        return !adminGroup.isEmpty() && groups.getOrDefault(adminGroup, List.of()).contains(principal.name());
    }

    private boolean names(List<String> subjects, Principal principal) {
        for (String s : subjects) {
            if (s.equals("*") || s.equals(principal.name())) {
                return true;
            }
            if (s.startsWith("group:") && groups.getOrDefault(s.substring(6), List.of()).contains(principal.name())) {
                return true;
            }
        }
        return false;
    }
}
