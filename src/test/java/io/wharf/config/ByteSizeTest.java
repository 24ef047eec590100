package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void bytesDecimalAndBinaryUnits() {
        assertThat(ByteSize.parse("1073741824")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("500MB")).isEqualTo(500_000_000L);
        assertThat(ByteSize.parse("50GiB")).isEqualTo(50L << 30);
        assertThat(ByteSize.parse("2 tb")).isEqualTo(2_000_000_000_000L);
        assertThat(ByteSize.parse("7k")).isEqualTo(7_000L);
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"", "GiB", "-1", "1.5GB", "10 parsecs", "99999999999PiB"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
