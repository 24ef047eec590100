package io.wharf.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Names per the distribution-spec: {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}. */
class RepositoryNameTest {

    static Stream<Arguments> validNames() {
        return Stream.of(
                Arguments.of("single character", "a"),
                Arguments.of("single digit", "0"),
                Arguments.of("two components", "library/ubuntu"),
                Arguments.of("many components", "a/b/c/d/e"),
                Arguments.of("period separator", "a.b"),
                Arguments.of("underscore separator", "a_b"),
                Arguments.of("double underscore separator", "a__b"),
                Arguments.of("dash separator", "a-b"),
                Arguments.of("several dashes", "a---b"),
                Arguments.of("separators mixed between runs", "a.b_c__d-e--f"),
                Arguments.of("separators in later components", "team-1/app.web/v__2"),
                Arguments.of("digits only components", "123/456"),
                Arguments.of("255 characters", "a".repeat(255)),
                Arguments.of("255 characters in components", ("abc/".repeat(63) + "abc").substring(0, 255)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validNames")
    void parse_validName_keepsTheText(String why, String name) {
        assertThat(RepositoryName.parse(name).value()).isEqualTo(name);
        assertThat(RepositoryName.isValid(name)).isTrue();
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("uppercase", "Library/ubuntu"),
                Arguments.of("uppercase in second component", "library/Ubuntu"),
                Arguments.of("leading period", ".a"),
                Arguments.of("trailing period", "a."),
                Arguments.of("leading dash", "-a"),
                Arguments.of("trailing dash", "a-"),
                Arguments.of("leading underscore", "_a"),
                Arguments.of("trailing underscore", "a_"),
                Arguments.of("two periods", "a..b"),
                Arguments.of("three underscores", "a___b"),
                Arguments.of("period then underscore", "a._b"),
                Arguments.of("dash then period", "a-.b"),
                Arguments.of("underscore then dash", "a_-b"),
                Arguments.of("leading slash", "/a"),
                Arguments.of("trailing slash", "a/"),
                Arguments.of("double slash", "a//b"),
                Arguments.of("component starting with separator", "a/.b"),
                Arguments.of("component ending with separator", "a/b-"),
                Arguments.of("dot segment", "a/./b"),
                Arguments.of("dot-dot segment", "a/../b"),
                Arguments.of("only a slash", "/"),
                Arguments.of("space", "a b"),
                Arguments.of("colon", "a:b"),
                Arguments.of("at sign", "a@b"),
                Arguments.of("plus", "a+b"),
                Arguments.of("backslash", "a\\b"),
                Arguments.of("non-ASCII letter", "caf\u00e9"),
                Arguments.of("trailing newline", "a\n"),
                Arguments.of("blank", " "),
                Arguments.of("256 characters", "a".repeat(256)),
                Arguments.of("256 characters in components", ("abc/".repeat(64) + "abc").substring(0, 256)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidNames")
    void parse_invalidName_isNameInvalid(String why, String name) {
        assertNameInvalid(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void parse_nullOrEmpty_isNameInvalid(String name) {
        assertNameInvalid(name);
    }

    private static void assertNameInvalid(String name) {
        assertThatThrownBy(() -> RepositoryName.parse(name))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
        assertThat(RepositoryName.isValid(name)).isFalse();
    }

    @Test
    void equalsAndCompareTo_followTheText() {
        RepositoryName a = RepositoryName.parse("a/b");

        assertThat(a).isEqualTo(RepositoryName.parse("a/b")).hasToString("a/b");
        assertThat(a.compareTo(RepositoryName.parse("a/c"))).isNegative();
        assertThat(a.compareTo(RepositoryName.parse("a"))).isPositive();
    }

    @Test
    void everyShortText_isValidExactlyWhenTheSpecsRegularExpressionMatchesIt() {
        Pattern spec = Pattern.compile(
                "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
        List<String> disagreements = new ArrayList<>();
        int[] validSeen = {0};
        Texts.everyUpTo("a0._-/A", 7, text -> {
            boolean expected = spec.matcher(text).matches();
            if (RepositoryName.isValid(text) != expected) {
                disagreements.add(text);
            }
            validSeen[0] += expected ? 1 : 0;
        });

        assertThat(disagreements).isEmpty();
        assertThat(validSeen[0]).as("the alphabet reaches valid names").isGreaterThan(1_000);
    }
}
