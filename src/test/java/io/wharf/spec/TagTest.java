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

/** Tags per the distribution-spec: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
class TagTest {

    static Stream<Arguments> validTags() {
        return Stream.of(
                Arguments.of("word", "latest"),
                Arguments.of("version", "v1.0.0"),
                Arguments.of("single letter", "a"),
                Arguments.of("single digit", "1"),
                Arguments.of("single underscore", "_"),
                Arguments.of("leading underscore", "_hidden"),
                Arguments.of("uppercase", "RELEASE"),
                Arguments.of("every allowed character", "Az09_.-"),
                Arguments.of("trailing period and dash", "a.-"),
                Arguments.of("128 characters", "a".repeat(128)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validTags")
    void new_validTag_keepsTheText(String why, String tag) {
        assertThat(new Tag(tag).value()).isEqualTo(tag);
        assertThat(Tag.isValid(tag)).isTrue();
    }

    static Stream<Arguments> invalidTags() {
        return Stream.of(
                Arguments.of("129 characters", "a".repeat(129)),
                Arguments.of("leading period", ".hidden"),
                Arguments.of("leading dash", "-rc1"),
                Arguments.of("slash", "a/b"),
                Arguments.of("colon", "a:b"),
                Arguments.of("at sign", "a@b"),
                Arguments.of("plus", "1.0+build"),
                Arguments.of("space", "a b"),
                Arguments.of("trailing newline", "a\n"),
                Arguments.of("non-ASCII letter", "caf\u00e9"),
                Arguments.of("blank", " "));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidTags")
    void new_invalidTag_isTagInvalid(String why, String tag) {
        assertTagInvalid(tag);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void new_nullOrEmpty_isTagInvalid(String tag) {
        assertTagInvalid(tag);
    }

    private static void assertTagInvalid(String tag) {
        assertThatThrownBy(() -> new Tag(tag))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TAG_INVALID));
        assertThat(Tag.isValid(tag)).isFalse();
    }

    @Test
    void compareTo_isLexicalOnTheText() {
        assertThat(new Tag("A").compareTo(new Tag("a"))).isNegative();
        assertThat(new Tag("v10").compareTo(new Tag("v2"))).isNegative();
        assertThat(new Tag("latest")).isEqualTo(new Tag("latest")).hasToString("latest");
    }

    @Test
    void everyShortText_isValidExactlyWhenTheSpecsRegularExpressionMatchesIt() {
        Pattern spec = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
        List<String> disagreements = new ArrayList<>();
        Texts.everyUpTo("aZ9_.-/:\n", 6, text -> {
            if (Tag.isValid(text) != spec.matcher(text).matches()) {
                disagreements.add(text);
            }
        });

        assertThat(disagreements).isEmpty();
    }
}
