package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.auth.Htpasswd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wharf config check} refuses what {@code serve} would refuse, the files a configuration names included. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    private record Outcome(int exit, String out) {
    }

    private Outcome check(String yaml) throws Exception {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data")
                + "\n" + yaml);
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new String[] {"config", "check", config.toString()});
        cl.setOut(new PrintWriter(out, true));
        int exit = cl.execute("config", "check", config.toString());
        return new Outcome(exit, out.toString());
    }

    private static String htpasswdAt(Path path) {
        return "auth:\n  htpasswd:\n    realm: test\n    path: " + path + "\n";
    }

    @Test
    void htpasswdPaths_thatServeCannotRead_areErrors() throws Exception {
        // Debian's docker-registry package names its configuration directory here.
        Outcome directory = check(htpasswdAt(dir));
        assertThat(directory.exit()).isEqualTo(1);
        assertThat(directory.out()).contains("error: auth.htpasswd.path: htpasswd file " + dir + " is a directory")
                .contains("configuration is invalid (1 error)");

        Path md5 = Files.writeString(dir.resolve("md5"), "alice:$apr1$abcdefgh$0123456789abcdefghijkl\n");
        Outcome notBcrypt = check(htpasswdAt(md5));
        assertThat(notBcrypt.exit()).isEqualTo(1);
        assertThat(notBcrypt.out()).contains("error: auth.htpasswd.path:").contains("bcrypt");

        Path good = Files.writeString(dir.resolve("users"), Htpasswd.line("alice", "pw", 4) + "\n");
        assertThat(check(htpasswdAt(good))).isEqualTo(new Outcome(0, "configuration is valid\n"));
        // A missing file is created by serve, as by Distribution: nothing to refuse.
        assertThat(check(htpasswdAt(dir.resolve("absent"))).exit()).isZero();
        assertThat(dir.resolve("absent")).doesNotExist();
    }

    @Test
    void tlsFiles_thatServeCannotRead_areErrors() throws Exception {
        Outcome missing = check("http:\n  tls:\n    certificate: " + dir.resolve("none.crt") + "\n    key: "
                + dir.resolve("none.key") + "\n");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("error: http.tls: ").contains("none.crt");
    }
}
