package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HostNameTest {

    @Test
    void isTheNameTheHostnameCommandPrints() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("hostname").redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(p.waitFor()).isZero();

        assertThat(HostName.get()).isEqualTo(printed).isNotBlank();
    }
}
