package io.wharf.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in a configuration: {@code 1073741824}, {@code 500MB}, {@code 50GiB}, {@code 2TB}. */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgtp]?i?b?)?", Pattern.CASE_INSENSITIVE);
    /** The unit letters in order of their power: the position is the exponent. */
    private static final String POWERS = " kmgtp";

    private ByteSize() {
    }

    /**
     * Parses a size; {@code KB}, {@code MB}… are decimal (powers of 1000), {@code KiB}, {@code MiB}… binary.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size; write bytes or e.g. 500MB, 50GiB");
        }
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = unit.contains("i");
        String letter = unit.replace("i", "").replace("b", "");
        if (binary && letter.isEmpty() || unit.equals("ib")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size; write bytes or e.g. 500MB, 50GiB");
        }
        long base = binary ? 1024 : 1000;
        long value = Long.parseLong(m.group(1));
        try {
            for (int i = 0; i < POWERS.indexOf(letter.isEmpty() ? " " : letter); i++) {
                value = Math.multiplyExact(value, base);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too large", e);
        }
        return value;
    }
}
