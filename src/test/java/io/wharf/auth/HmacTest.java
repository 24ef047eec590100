package io.wharf.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HMAC-SHA256 against RFC 4231's test case 2, whole and in parts; derived keys differ by purpose. */
class HmacTest {
    private static final String RFC4231_CASE2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    @Test
    void matchesRfc4231_whetherTheDataComesWholeOrInParts() {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(Hmac.sha256(key,
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(RFC4231_CASE2);
        assertThat(HexFormat.of().formatHex(Hmac.sha256(key, "what do ya ".getBytes(StandardCharsets.US_ASCII),
                "want for nothing?".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(RFC4231_CASE2);
        assertThat(HexFormat.of().formatHex(Hmac.derive("Jefe", "what do ya want for nothing?")))
                .isEqualTo(RFC4231_CASE2);
    }

    @Test
    void derivedKeys_differByPurposeAndBySecret() {
        assertThat(Hmac.derive("s", "one")).isNotEqualTo(Hmac.derive("s", "two"))
                .isNotEqualTo(Hmac.derive("t", "one")).hasSize(32);
    }
}
