package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.AddressRange;
import io.wharf.config.RegistryConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code X-Forwarded-*} rewrite URLs only when the direct peer is a configured trusted proxy. */
class ForwardedHeadersTest {
    @TempDir
    Path root;

    private static final String[] FORGED = {"X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
        "X-Forwarded-For", "198.51.100.1"};

    @Test
    void forwardedHeadersFromAnUntrustedPeer_areIgnored() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            var res = r.post("/v2/app/blobs/uploads/", null, FORGED);
            assertThat(res.statusCode()).isEqualTo(202);
            assertThat(res.headers().firstValue("Location").orElseThrow())
                    .startsWith("http://127.0.0.1:" + r.server().port() + "/v2/app/blobs/uploads/");
        }
    }

    @Test
    void forwardedHeadersFromATrustedProxy_describeTheClientsView() throws Exception {
        var limits = RegistryConfig.ClientLimits.defaults();
        var trusting = new RegistryConfig.ClientLimits(limits.headerTimeout(), limits.idleTimeout(),
                limits.minDataRate(), limits.rateWindow(), List.of(AddressRange.parse("127.0.0.0/8")));
        try (TestRegistry r = TestRegistry.start(root, c -> TestRegistry.withHttp(c, h -> h.withClients(trusting)))) {
            var res = r.post("/v2/app/blobs/uploads/", null, FORGED);
            assertThat(res.statusCode()).isEqualTo(202);
            assertThat(res.headers().firstValue("Location").orElseThrow())
                    .startsWith("https://evil.example/v2/app/blobs/uploads/");
        }
    }
}
