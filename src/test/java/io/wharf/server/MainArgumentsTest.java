package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** registry:2's entrypoint convention: a configuration file as the first argument means serve it. */
class MainArgumentsTest {
    @Test
    void aConfigFileFirst_isServed() {
        assertThat(Main.arguments(new String[] {"/etc/docker/registry/config.yml"}))
                .containsExactly("serve", "/etc/docker/registry/config.yml");
        assertThat(Main.arguments(new String[] {"config.yaml"})).containsExactly("serve", "config.yaml");
    }

    @Test
    void commands_passUnchanged() {
        assertThat(Main.arguments(new String[] {"garbage-collect", "config.yml"}))
                .containsExactly("garbage-collect", "config.yml");
        assertThat(Main.arguments(new String[0])).isEmpty();
    }
}
