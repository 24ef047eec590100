package io.wharf.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdTest {
    @TempDir
    Path dir;

    private static String hash(BCrypt.Version version, String password) {
        return BCrypt.with(version).hashToString(4, password.toCharArray());
    }

    @Test
    void bcrypt2y2a2b_areAllVerified() {
        Htpasswd users = Htpasswd.parse("# comment\n\nalice:" + hash(BCrypt.Version.VERSION_2Y, "a-pass") + "\n"
                + "bob:" + hash(BCrypt.Version.VERSION_2A, "b-pass") + "\r\n"
                + "carol:" + hash(BCrypt.Version.VERSION_2B, "c-pass") + "\n", "htpasswd");

        assertThat(users.verify("alice", "a-pass")).isTrue();
        assertThat(users.verify("bob", "b-pass")).isTrue();
        assertThat(users.verify("carol", "c-pass")).isTrue();
        assertThat(users.verify("alice", "b-pass")).isFalse();
        assertThat(users.verify("mallory", "a-pass")).isFalse();
    }

    @Test
    void aPasswordLongerThanBcryptReads_isCheckedOnItsFirst72Bytes_asHtpasswdHashedIt() {
        // Written by Apache's "htpasswd -Bbn -C 4 longuser <72 times A>tail-secret", which hashes the first 72 bytes.
        Htpasswd users = Htpasswd.parse("longuser:$2y$04$Dl57zgQkF/bF6ELZH9GsPOk2XXSgJnzPqvQF1q8ySPzDGREXSQUx6\n",
                "htpasswd");
        String password = "A".repeat(72) + "tail-secret";

        assertThat(users.verify("longuser", password)).isTrue();
        assertThat(users.verify("longuser", "A".repeat(72) + "x".repeat(80))).as("bcrypt ignores the tail").isTrue();
        assertThat(users.verify("longuser", "A".repeat(71))).isFalse();
        assertThat(users.verify("nobody", "p".repeat(100))).isFalse();
    }

    @Test
    void otherHashFormats_areRefusedNamingTheLineButNotTheHash() {
        String apr1 = "$apr1$abcdefgh$0123456789abcdefghijkl";
        assertThatThrownBy(() -> Htpasswd.parse("alice:" + hash(BCrypt.Version.VERSION_2Y, "x") + "\nbob:" + apr1,
                "/etc/htpasswd")).hasMessageStartingWith("/etc/htpasswd line 2 (user bob): only bcrypt hashes")
                .hasMessageContaining("htpasswd -B").hasMessageNotContaining(apr1);
        assertThatThrownBy(() -> Htpasswd.parse("carol:{SHA}abc=", "f")).hasMessageContaining("SHA-1");
        assertThatThrownBy(() -> Htpasswd.parse("dave:plaintext", "f")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> Htpasswd.parse("no-colon", "f")).hasMessageContaining("expected user:hash");
    }

    @Test
    void missingFile_isCreatedWithOneUserWhosePasswordIsReturnedOnce() throws Exception {
        Path file = dir.resolve("sub/htpasswd");

        String password = HtpasswdFile.createIfMissing(file).orElseThrow();

        assertThat(Files.readString(file)).startsWith("docker:$2y$").doesNotContain(password);
        assertThat(new HtpasswdFile(file).verify("docker", password)).isTrue();
        assertThat(HtpasswdFile.createIfMissing(file)).isEmpty();
    }

    @Test
    void changedFile_isReadAgain_andABrokenChangeKeepsThePreviousUsers() throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, Htpasswd.line("alice", "one", 4) + "\n");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.verify("alice", "one")).isTrue();

        Files.writeString(file, Htpasswd.line("alice", "two", 4) + "\n" + Htpasswd.line("bob", "b", 4) + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(users.verify("alice", "one")).isFalse();
        assertThat(users.verify("alice", "two")).isTrue();
        assertThat(users.verify("bob", "b")).isTrue();

        Files.writeString(file, "alice:$apr1$x$y\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(users.verify("alice", "two")).isTrue();
    }

    @Test
    void basicCredentials_neverShowThePassword() {
        var creds = BasicCredentials.parse("Basic " + java.util.Base64.getEncoder()
                .encodeToString("alice:s3cr:et".getBytes())).orElseThrow();
        assertThat(creds.user()).isEqualTo("alice");
        assertThat(creds.password()).isEqualTo("s3cr:et");
        assertThat(creds.toString()).doesNotContain("s3cr");
        assertThat(BasicCredentials.parse("Bearer x")).isEmpty();
        assertThat(BasicCredentials.parse("Basic !!!")).isEmpty();
        assertThat(BasicCredentials.parse(null)).isEmpty();
    }
}
