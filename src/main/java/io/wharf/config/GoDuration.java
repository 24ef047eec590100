package io.wharf.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Parses durations written the way Go's {@code time.ParseDuration} reads them, because Distribution's
 * configuration files use that syntax: a sequence of decimal numbers, each with an optional fraction and a
 * unit ({@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), with an optional
 * sign in front, such as {@code 168h}, {@code 1h30m}, {@code 1.5s} or {@code -500ms}. A lone {@code 0} needs no
 * unit.
 */
public final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign
            "\u03bcs", 1_000L, // Greek small letter mu
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    // Go durations are int64 nanoseconds; the negative side holds one more.
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

    private GoDuration() {
    }

    /**
     * Parses {@code text}.
     *
     * @return the duration, truncated to whole nanoseconds as Go does
     * @throws IllegalArgumentException when the text is not a Go duration or does not fit in int64 nanoseconds;
     *     the message says why, in Go's words
     */
    public static Duration parse(String text) {
        int index = 0;
        boolean negative = false;
        if (!text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            index = 1;
        }
        if (text.substring(index).equals("0")) {
            return Duration.ZERO;
        }
        if (index == text.length()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (index < text.length()) {
            int numberEnd = endOfNumber(text, index);
            int unitEnd = endOfUnit(text, numberEnd);
            nanos = nanos.add(component(text, index, numberEnd, unitEnd));
            index = unitEnd;
        }
        return toDuration(negative ? nanos.negate() : nanos, text);
    }

    private static int endOfNumber(String text, int start) {
        int index = start;
        while (index < text.length() && (Character.isDigit(text.charAt(index)) || text.charAt(index) == '.')) {
            index++;
        }
        return index;
    }

    private static int endOfUnit(String text, int start) {
        int index = start;
        while (index < text.length() && !Character.isDigit(text.charAt(index)) && text.charAt(index) != '.') {
            index++;
        }
        return index;
    }

    /** One {@code <number><unit>} component, in nanoseconds. */
    private static BigDecimal component(String text, int start, int numberEnd, int unitEnd) {
        String number = text.substring(start, numberEnd);
        if (!number.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            throw invalid(text);
        }
        String unit = text.substring(numberEnd, unitEnd);
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
        }
        Long perUnit = NANOS_PER_UNIT.get(unit);
        if (perUnit == null) {
            throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration " + quote(text));
        }
        String digits = number.endsWith(".") ? number.substring(0, number.length() - 1) : number;
        return new BigDecimal(digits).multiply(BigDecimal.valueOf(perUnit));
    }

    private static Duration toDuration(BigDecimal nanos, String text) {
        BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (whole.compareTo(MAX_NANOS) > 0 || whole.compareTo(MIN_NANOS) < 0) {
            throw invalid(text);
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
