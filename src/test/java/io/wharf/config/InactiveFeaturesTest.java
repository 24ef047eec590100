package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sections parsed now and implemented later: refused, or warned about exactly once. */
class InactiveFeaturesTest {

    private static final String BASE = "version: 0.1\nstorage: inmemory\n";

    private static ConfigResult load(String yaml) {
        return ConfigLoader.load(BASE + yaml, "config.yml", Map.of());
    }

    @Test
    void tlsWithLetsEncrypt_refusesToStart() {
        assertThat(load("http:\n  tls:\n    letsencrypt:\n      cachefile: /c\n      email: a@b.c\n").errors())
                .singleElement().asString().startsWith("http.tls.letsencrypt: Let's Encrypt is not supported yet");
    }

    @Test
    void tlsWithoutCertificate_isAccepted() {
        ConfigResult result = load("http:\n  tls:\n    minimumtls: tls1.2\n");

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void proxyWithoutRemoteUrl_isAccepted() {
        assertThat(load("proxy:\n  ttl: 168h\n").valid()).isTrue();
    }

    @Test
    void everyRefusal_isReportedTogether() {
        assertThat(load("auth:\n  silly: {realm: r, service: s}\nhttp:\n  tls:\n    letsencrypt: {cachefile: /c}\n"
                + "proxy:\n  remoteurl: https://r.example\n").errors()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "middleware      | middleware:\\n  registry:\\n    - name: a\\n  storage:\\n    - name: cloudfront",
            "reporting       | reporting:\\n  bugsnag:\\n    apikey: k\\n  newrelic:\\n    licensekey: l"})
    void inactiveSection_givesExactlyOneWarningNamingIt(String section, String yaml) {
        ConfigResult result = load(yaml.replace("\\n", "\n") + "\n");

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith(section + ": ").contains("not active yet");
    }

    @Test
    void notificationsWithoutEndpoints_giveNoWarning() {
        assertThat(load("notifications:\n  events:\n    includereferences: true\n").warnings()).isEmpty();
    }

    @Test
    void emptySections_giveNoWarning() {
        assertThat(load("health: {}\nmiddleware: {}\nredis:\n").warnings()).isEmpty();
    }
}
