package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Credential-like query parameters never reach the access log; everything else is left as it was. */
class RedactingLogWriterTest {
    private static final String PREFIX = "10.0.0.7 - - [06/Dec/2026:17:00:00 +0000] \"GET ";

    @Test
    void credentialValues_areReplaced_whateverTheirCaseOrPosition() {
        assertThat(RedactingLogWriter.redact(PREFIX + "/token?service=r&scope=x&password=hunter2 HTTP/1.1\" 200 5"))
                .isEqualTo(PREFIX + "/token?service=r&scope=x&password=[redacted] HTTP/1.1\" 200 5");
        assertThat(RedactingLogWriter.redact(PREFIX + "/v2/?Access_Token=abc.def&n=1 HTTP/1.1\" 200 2"))
                .isEqualTo(PREFIX + "/v2/?Access_Token=[redacted]&n=1 HTTP/1.1\" 200 2");
        assertThat(RedactingLogWriter.redact(PREFIX + "/b?X-Amz-Credential=AK%2F1&X-Amz-Signature=f00d HTTP/1.1\""))
                .isEqualTo(PREFIX + "/b?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted] HTTP/1.1\"");
    }

    @Test
    void linesWithoutCredentials_areUnchanged() {
        String plain = PREFIX + "/v2/a/manifests/latest HTTP/1.1\" 200 529 \"\" \"docker/27.5.1\"";
        String query = PREFIX + "/v2/a/tags/list?n=100&last=tokenizer HTTP/1.1\" 200 40 \"\" \"skopeo\"";
        String agent = PREFIX + "/v2/ HTTP/1.1\" 401 0 \"\" \"curl & wget\"";

        assertThat(RedactingLogWriter.redact(plain)).isSameAs(plain);
        assertThat(RedactingLogWriter.redact(query)).isEqualTo(query);
        assertThat(RedactingLogWriter.redact(agent)).isEqualTo(agent);
    }
}
