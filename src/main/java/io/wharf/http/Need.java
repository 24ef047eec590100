package io.wharf.http;

import io.wharf.auth.Action;
import io.wharf.auth.Scope;
import io.wharf.spec.RepositoryName;
import java.util.List;

/**
 * The access an endpoint needs, declared in the route table next to it. The repository's actions follow
 * Distribution: reads need {@code pull}; writes need {@code pull,push}; deletes need {@code delete}.
 */
enum Need {
    /** {@code /v2/}: any known caller. */
    LOGIN,
    /** {@code registry:catalog:*}. */
    CATALOG,
    PULL,
    PUSH,
    DELETE;

    /** The scopes a request to this endpoint needs. */
    List<Scope> scopes(Route.Match match) {
        return switch (this) {
            case LOGIN -> List.of();
            case CATALOG -> List.of(Scope.catalog());
            case PULL -> List.of(Scope.repository(name(match), Action.PULL));
            case PUSH -> List.of(Scope.repository(name(match), Action.PULL, Action.PUSH));
            case DELETE -> List.of(Scope.repository(name(match), Action.DELETE));
        };
    }

    /** The repository, validated at routing so that no check ever sees a malformed or traversing name. */
    private static String name(Route.Match match) {
        return match.repository().value();
    }
}
