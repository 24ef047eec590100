package io.wharf.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceTest {
    private static final String DIGEST = "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

    @Test
    void parse_textWithoutColon_isATag() {
        assertThat(Reference.parse("latest")).isEqualTo(new Tag("latest"));
    }

    @Test
    void parse_digestText_isADigestReference() {
        Reference r = Reference.parse(DIGEST);

        assertThat(r).isEqualTo(new DigestReference(Digest.parse(DIGEST)));
        assertThat(r).hasToString(DIGEST);
    }

    @Test
    void parse_sha512DigestText_isADigestReference() {
        String sha512 = "sha512:" + "ab".repeat(64);

        assertThat(Reference.parse(sha512)).isInstanceOfSatisfying(DigestReference.class,
                d -> assertThat(d.digest().algorithm()).isEqualTo(Digest.Algorithm.SHA512));
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                Arguments.of("short digest", "sha256:abc", ErrorCode.DIGEST_INVALID),
                Arguments.of("unknown algorithm", "md5:d41d8cd98f00b204e9800998ecf8427e", ErrorCode.DIGEST_INVALID),
                Arguments.of("tag with a colon", "v1:2", ErrorCode.DIGEST_INVALID),
                Arguments.of("uppercase digest", DIGEST.toUpperCase(), ErrorCode.DIGEST_INVALID),
                Arguments.of("tag with a slash", "a/b", ErrorCode.TAG_INVALID),
                Arguments.of("tag starting with a period", ".x", ErrorCode.TAG_INVALID),
                Arguments.of("129-character tag", "a".repeat(129), ErrorCode.TAG_INVALID),
                Arguments.of("empty", "", ErrorCode.TAG_INVALID),
                Arguments.of("null", null, ErrorCode.TAG_INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReferences")
    void parse_invalidReference_isRefusedWithTheMatchingCode(String why, String text, ErrorCode expected) {
        assertThatThrownBy(() -> Reference.parse(text))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(expected));
    }
}
