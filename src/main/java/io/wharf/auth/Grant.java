package io.wharf.auth;

import java.util.function.BiPredicate;

/**
 * What an authorised request may do beyond the scopes it was checked for: used to filter the catalog and to
 * decide whether a cross-repository mount may read its source.
 */
public interface Grant {
    /** The caller. */
    Principal principal();

    /** Whether the caller may perform {@code action} on the repository. */
    boolean allows(String repository, Action action);

    /** Whether the repository appears in the caller's catalog: by default, when the caller may pull it. */
    default boolean lists(String repository) {
        return allows(repository, Action.PULL);
    }

    /** A grant that allows everything, for an open registry. */
    static Grant everything(Principal principal) {
        return of(principal, (repository, action) -> true);
    }

    /** A grant deciding by {@code allows(repository, action)}. */
    static Grant of(Principal principal, BiPredicate<String, Action> allows) {
        return new Grant() {
            @Override
            public Principal principal() {
                return principal;
            }

            @Override
            public boolean allows(String repository, Action action) {
                return allows.test(repository, action);
            }
        };
    }
}
