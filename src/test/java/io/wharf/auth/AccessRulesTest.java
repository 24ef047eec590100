package io.wharf.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.AuthConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private static final AccessRules RULES = new AccessRules(new AuthConfig.Access(
            Map.of("admins", List.of("root"), "team-a", List.of("alice", "bob")), "admins", List.of("public/**"),
            List.of(new AuthConfig.Rule(List.of("team-a/**"), List.of("carol"), List.of("group:team-a"),
                            List.of("alice")),
                    new AuthConfig.Rule(List.of("shared/*"), List.of("*"), List.of(), List.of())),
            AuthConfig.FailedLogins.defaults()));

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({"team-a/**, team-a/app, true", "team-a/**, team-a/x/y, true", "team-a/**, team-a, false",
            "team-a/**, team-ab/app, false", "shared/*, shared/app, true", "shared/*, shared/a/b, false",
            "*, app, true", "*, a/b, false", "a.b/c, a.b/c, true", "a.b/c, aXb/c, false", "**, any/thing, true"})
    void globs(String glob, String repository, boolean matches) {
        assertThat(RepositoryGlob.of(glob).matches(repository)).isEqualTo(matches);
    }

    @Test
    void groupMembersPush_namedUsersPullOrDelete_everyonePullsShared() {
        assertThat(RULES.allowed(new Principal("alice"), "team-a/app"))
                .isEqualTo(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));
        assertThat(RULES.allowed(new Principal("bob"), "team-a/app")).isEqualTo(EnumSet.of(Action.PULL, Action.PUSH));
        assertThat(RULES.allowed(new Principal("carol"), "team-a/app")).isEqualTo(EnumSet.of(Action.PULL));
        assertThat(RULES.allowed(new Principal("dave"), "team-a/app")).isEmpty();
        assertThat(RULES.allowed(new Principal("dave"), "shared/tools")).isEqualTo(EnumSet.of(Action.PULL));
        assertThat(RULES.allowed(new Principal("alice"), "team-b/app")).isEmpty();
    }

    @Test
    void adminsMayDoEverything_anonymousOnlyPullPublic() {
        assertThat(RULES.allowed(new Principal("root"), "anything/at/all")).isEqualTo(EnumSet.allOf(Action.class));
        assertThat(RULES.allowed(Principal.ANONYMOUS, "public/base")).isEqualTo(EnumSet.of(Action.PULL));
        assertThat(RULES.allowed(Principal.ANONYMOUS, "shared/tools")).isEmpty();
        assertThat(RULES.allowed(new Principal("dave"), "public/base")).isEqualTo(EnumSet.of(Action.PULL));
    }

    @Test
    void adminScope_onlyForTheAdminGroup_orAnyKnownUserWithoutRules_neverAnonymous() {
        assertThat(RULES.allows(new Principal("root"), Scope.admin())).isTrue();
        assertThat(RULES.allows(new Principal("alice"), Scope.admin())).isFalse();
        assertThat(RULES.grantable(new Principal("alice"), Scope.admin()).actions()).isEmpty();
        AccessRules none = new AccessRules(AuthConfig.Access.none());
        assertThat(none.allows(new Principal("anyone"), Scope.admin())).isTrue();
        assertThat(none.allows(Principal.ANONYMOUS, Scope.admin())).isFalse();
    }

    @Test
    void withoutRules_everyAuthenticatedUserMayDoEverything_andAnonymousNothing() {
        AccessRules none = new AccessRules(AuthConfig.Access.none());
        assertThat(none.allowed(new Principal("x"), "a/b")).isEqualTo(EnumSet.allOf(Action.class));
        assertThat(none.allowed(Principal.ANONYMOUS, "a/b")).isEmpty();
        assertThat(none.mayListCatalog(Principal.ANONYMOUS)).isFalse();
    }

    @Test
    void grantable_keepsOnlyAllowedActions() {
        Scope wanted = Scope.repository("team-a/app", Action.PULL, Action.PUSH);
        assertThat(RULES.grantable(new Principal("carol"), wanted).actions()).containsExactly("pull");
        assertThat(RULES.grantable(new Principal("dave"), wanted).actions()).isEmpty();
        assertThat(RULES.grantable(new Principal("dave"), Scope.catalog()).actions()).containsExactly("*");
    }

    @Test
    void scopes_parseAndPrintLikeDistribution() {
        assertThat(Scope.parse("repository:team/app:pull,push")).contains(
                new Scope("repository", "team/app", List.of("pull", "push")));
        assertThat(Scope.parse("repository:localhost:5000/app:pull").orElseThrow().name())
                .isEqualTo("localhost:5000/app");
        assertThat(Scope.parse("registry:catalog:*").orElseThrow().isCatalog()).isTrue();
        assertThat(Scope.parse("repository:app:")).isEmpty();
        assertThat(Scope.parse("nonsense")).isEmpty();
        assertThat(Scope.repository("a/b", Action.PULL, Action.PUSH)).hasToString("repository:a/b:pull,push");
    }
}
