package io.wharf.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class DigestTest {
    private static final String HEX64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String HEX128 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    static Stream<Arguments> validDigests() {
        return Stream.of(
                Arguments.of("sha256:" + HEX64, Digest.Algorithm.SHA256, HEX64),
                Arguments.of("sha256:" + "0123456789abcdef".repeat(4), Digest.Algorithm.SHA256,
                        "0123456789abcdef".repeat(4)),
                Arguments.of("sha512:" + HEX128, Digest.Algorithm.SHA512, HEX128));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDigests")
    void parse_wellFormedDigest_keepsAlgorithmHexAndText(String text, Digest.Algorithm algorithm, String hex) {
        Digest d = Digest.parse(text);

        assertThat(d.algorithm()).isEqualTo(algorithm);
        assertThat(d.hex()).isEqualTo(hex);
        assertThat(d).hasToString(text);
        assertThat(Digest.isValid(text)).isTrue();
    }

    static Stream<Arguments> invalidDigests() {
        return Stream.of(
                Arguments.of("uppercase hex", "sha256:" + HEX64.toUpperCase()),
                Arguments.of("one uppercase hex digit", "sha256:E" + HEX64.substring(1)),
                Arguments.of("uppercase algorithm", "SHA256:" + HEX64),
                Arguments.of("hex one short", "sha256:" + HEX64.substring(1)),
                Arguments.of("hex one long", "sha256:" + HEX64 + "0"),
                Arguments.of("sha512 with sha256 length", "sha512:" + HEX64),
                Arguments.of("sha256 with sha512 length", "sha256:" + HEX128),
                Arguments.of("non-hex character", "sha256:g" + HEX64.substring(1)),
                Arguments.of("unknown algorithm md5", "md5:d41d8cd98f00b204e9800998ecf8427e"),
                Arguments.of("unknown algorithm sha384", "sha384:" + "0".repeat(96)),
                Arguments.of("algorithm with suffix", "sha256+b64u:" + HEX64),
                Arguments.of("missing colon", "sha256" + HEX64),
                Arguments.of("only hex", HEX64),
                Arguments.of("empty algorithm", ":" + HEX64),
                Arguments.of("empty hex", "sha256:"),
                Arguments.of("double colon", "sha256::" + HEX64.substring(1)),
                Arguments.of("only a colon", ":"),
                Arguments.of("leading space", " sha256:" + HEX64),
                Arguments.of("trailing space", "sha256:" + HEX64 + " "),
                Arguments.of("trailing newline", "sha256:" + HEX64 + "\n"),
                Arguments.of("space after colon", "sha256: " + HEX64.substring(1)),
                Arguments.of("blank", "   "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDigests")
    void parse_malformedDigest_isDigestInvalid(String why, String text) {
        assertDigestInvalid(text);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void parse_nullOrEmpty_isDigestInvalid(String text) {
        assertDigestInvalid(text);
    }

    private static void assertDigestInvalid(String text) {
        assertThatThrownBy(() -> Digest.parse(text))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
        assertThat(Digest.isValid(text)).isFalse();
    }

    @Test
    void parse_veryLongInput_abbreviatesTheDetail() {
        String text = "sha256:" + "a".repeat(10_000);

        assertThatThrownBy(() -> Digest.parse(text))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat((String) e.detail()).hasSizeLessThan(200));
    }

    static Stream<Arguments> knownVectors() {
        return Stream.of(
                Arguments.of(Digest.Algorithm.SHA256, "", "sha256:" + HEX64),
                Arguments.of(Digest.Algorithm.SHA256, "hello world",
                        "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
                Arguments.of(Digest.Algorithm.SHA256, "{}",
                        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
                Arguments.of(Digest.Algorithm.SHA512, "", "sha512:" + HEX128),
                Arguments.of(Digest.Algorithm.SHA512, "hello world",
                        "sha512:309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f"
                                + "989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"));
    }

    @ParameterizedTest(name = "{0} of \"{1}\"")
    @MethodSource("knownVectors")
    void compute_knownInput_givesTheKnownDigest(Digest.Algorithm algorithm, String input, String expected) {
        assertThat(Digest.compute(algorithm, input.getBytes(UTF_8))).isEqualTo(Digest.parse(expected));
    }

    @Test
    void of_finishedHasherOutput_equalsCompute() {
        byte[] content = "hello world".getBytes(UTF_8);
        var hasher = Digest.Algorithm.SHA512.newHasher();
        hasher.update(content);

        assertThat(Digest.of(Digest.Algorithm.SHA512, hasher.digest()))
                .isEqualTo(Digest.compute(Digest.Algorithm.SHA512, content));
    }

    @Test
    void equals_sameText_isEqualWithTheSameHashCode() {
        Digest a = Digest.parse("sha256:" + HEX64);
        Digest b = Digest.parse("sha256:" + HEX64);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
    }

    @Test
    void equals_differentHexOrAlgorithm_isNotEqual() {
        Digest a = Digest.parse("sha256:" + HEX64);

        assertThat(a).isNotEqualTo(Digest.parse("sha256:" + "0".repeat(64)));
        assertThat(a).isNotEqualTo(Digest.parse("sha512:" + HEX64 + HEX64));
        assertThat(a).isNotEqualTo("sha256:" + HEX64);
    }

    @Test
    void compareTo_ordersByText_algorithmFirst() {
        Digest sha256High = Digest.parse("sha256:" + "f".repeat(64));
        Digest sha256Low = Digest.parse("sha256:" + "0".repeat(64));
        Digest sha512Low = Digest.parse("sha512:" + "0".repeat(128));
        List<Digest> digests = new ArrayList<>(List.of(sha512Low, sha256High, sha256Low));

        digests.sort(null);

        assertThat(digests).containsExactly(sha256Low, sha256High, sha512Low);
        assertThat(sha256Low.compareTo(sha256High)).isNegative();
        assertThat(sha256High.compareTo(sha256Low)).isPositive();
    }

    @Test
    void algorithm_byId_knowsOnlyTheRegisteredAlgorithms() {
        assertThat(Digest.Algorithm.byId("sha256")).isEqualTo(Digest.Algorithm.SHA256);
        assertThat(Digest.Algorithm.byId("sha512")).isEqualTo(Digest.Algorithm.SHA512);
        assertThat(Digest.Algorithm.byId("SHA256")).isNull();
        assertThat(Digest.Algorithm.byId("sha384")).isNull();
        assertThat(Digest.Algorithm.SHA256.hexLength()).isEqualTo(64);
        assertThat(Digest.Algorithm.SHA512.hexLength()).isEqualTo(128);
    }
}
