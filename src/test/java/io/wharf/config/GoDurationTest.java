package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GoDurationTest {

    static Stream<Arguments> validDurations() {
        return Stream.of(
                Arguments.of("0", Duration.ZERO),
                Arguments.of("-0", Duration.ZERO),
                Arguments.of("10s", Duration.ofSeconds(10)),
                Arguments.of("168h", Duration.ofHours(168)),
                Arguments.of("1h30m", Duration.ofMinutes(90)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("100ns", Duration.ofNanos(100)),
                Arguments.of("3us", Duration.ofNanos(3_000)),
                Arguments.of("3\u00b5s", Duration.ofNanos(3_000)),
                Arguments.of("3\u03bcs", Duration.ofNanos(3_000)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of(".5s", Duration.ofMillis(500)),
                Arguments.of("1.s", Duration.ofSeconds(1)),
                Arguments.of("2h45m30.5s", Duration.ofHours(2).plusMinutes(45).plusMillis(30_500)),
                Arguments.of("-1m", Duration.ofMinutes(-1)),
                Arguments.of("+5s", Duration.ofSeconds(5)),
                Arguments.of("1.0000000009s", Duration.ofSeconds(1)), // truncated to whole nanoseconds, as Go
                Arguments.of("9223372036854775807ns", Duration.ofNanos(Long.MAX_VALUE)),
                Arguments.of("-9223372036854775808ns", Duration.ofNanos(Long.MIN_VALUE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDurations")
    void parse_goSyntax_returnsTheDuration(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                      | invalid duration",
            "-                       | invalid duration",
            "s                       | invalid duration",
            ".s                      | invalid duration",
            "1..5s                   | invalid duration",
            "10                      | missing unit",
            "1h30                    | missing unit",
            "1d                      | unknown unit \"d\"",
            "10 s                    | unknown unit \" s\"",
            "9223372036854775808ns   | invalid duration",
            "3000000h                | invalid duration"})
    void parse_notAGoDuration_throwsSayingWhy(String text, String reason) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining(text);
    }
}
