package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * registry:2's entrypoint convention (a configuration file as the first argument means serve it), and which
 * subcommands the command line is built with.
 */
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

    @Test
    void usage_listsEveryCommand() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new String[0]);
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute()).isZero();
        assertThat(out.toString()).contains("serve", "config", "garbage-collect", "gc-now", "scrub",
                "delete-repository", "backup", "restore", "sync");
    }

    @Test
    void aNamedCommand_isTheOnlyOneModelled_andRuns() {
        CommandLine cl = Main.commandLine(new String[] {"config", "check", "--help"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("config");
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("config", "check", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: wharf config check");
    }

    @Test
    void aMistypedCommand_isRefusedWithTheNearestName() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new String[] {"serv"});
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("serv")).isNotZero();
        assertThat(err.toString()).contains("Did you mean: wharf serve?");
    }

    @Test
    void serve_hasItsUsageAndVersion() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new String[] {"serve", "--help"});
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: wharf serve [-hV] [CONFIG]", "Distribution config.yml",
                "-V, --version");
        StringWriter version = new StringWriter();
        cl.setOut(new PrintWriter(version));
        assertThat(cl.execute("serve", "-V")).isZero();
        assertThat(version.toString()).startsWith("wharf ");
    }

    @Test
    void serve_refusesASecondFile() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new String[] {"serve", "a.yml", "b.yml"});
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("serve", "a.yml", "b.yml")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 2: 'b.yml'");
    }
}
