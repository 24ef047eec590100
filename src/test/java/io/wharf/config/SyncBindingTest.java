package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sync}: scheduled copies, their defaults, and the mistakes a configuration is refused for. */
class SyncBindingTest {
    private static final String MINIMAL = "version: 0.1\nstorage:\n  inmemory: {}\n";

    private static ConfigResult load(String yaml) {
        return ConfigLoader.load(MINIMAL + yaml, "config.yml", Map.of());
    }

    @Test
    void aJobWithItsDefaults() {
        ConfigResult r = load("sync:\n  statedirectory: /var/lib/wharf/sync\n  jobs:\n    - name: hub-base\n"
                + "      remoteurl: https://registry-1.docker.io\n      username: me\n      password: secret\n"
                + "      repositories: [library/alpine]\n      tags: ['3.*']\n      prefix: hub/\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().sync().stateDirectory()).isEqualTo(Path.of("/var/lib/wharf/sync"));
        assertThat(r.config().sync().jobs()).containsExactly(new RegistryConfig.SyncJob("hub-base", true,
                URI.create("https://registry-1.docker.io"), "me", "secret", false, List.of("library/alpine"),
                List.of("3.*"), "hub/", Duration.ofHours(1), true));
        assertThat(r.config().sync().jobs().get(0).toString()).doesNotContain("secret");
    }

    @Test
    void withoutTheSection_thereAreNoJobs() {
        assertThat(load("").config().sync().jobs()).isEmpty();
    }

    @Test
    void mistakesAreRefusedWithTheirPlace() {
        ConfigResult r = load("sync:\n  jobs:\n"
                + "    - name: a\n      remoteurl: ftp://x\n      repositories: [r]\n"
                + "    - name: b\n      remoteurl: https://x\n      direction: sideways\n      repositories: [r]\n"
                + "    - name: c\n      remoteurl: https://x\n"
                + "    - name: d\n      remoteurl: https://x\n      repositories: [r]\n      interval: 10s\n"
                + "    - name: e\n      remoteurl: https://x\n      repositories: [r]\n"
                + "    - name: e\n      remoteurl: https://y\n      repositories: [r]\n");
        assertThat(r.errors()).anyMatch(e -> e.contains("sync.jobs[0].remoteurl"))
                .anyMatch(e -> e.contains("sync.jobs[1].direction"))
                .anyMatch(e -> e.contains("sync.jobs[2].repositories"))
                .anyMatch(e -> e.contains("sync.jobs[3].interval"))
                .anyMatch(e -> e.contains("\"e\" is used twice"));
    }
}
