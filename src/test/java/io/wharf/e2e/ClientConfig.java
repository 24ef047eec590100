package io.wharf.e2e;

import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Per-test configuration for the containers/image clients (skopeo, podman), so that a test reads
 * nothing from and writes nothing to the machine's {@code /etc/containers} or the user's home:
 * an accept-anything signature policy, a registries.conf with no search registries, and an empty
 * auth file, all under one temporary directory.
 */
final class ClientConfig {
    private final Path dir;

    private ClientConfig(Path dir) {
        this.dir = dir;
    }

    static ClientConfig create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("xdg-config/containers"));
        Files.createDirectories(dir.resolve("xdg-data"));
        Files.createDirectories(dir.resolve("xdg-runtime"));
        String policy = "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}";
        Files.writeString(dir.resolve("policy.json"), policy);
        Files.writeString(dir.resolve("xdg-config/containers/policy.json"), policy);
        Files.writeString(dir.resolve("registries.conf"), "unqualified-search-registries = []\n");
        Files.writeString(dir.resolve("auth.json"), "{\"auths\":{}}");
        return new ClientConfig(dir);
    }

    Path dir() {
        return dir;
    }

    Path policy() {
        return dir.resolve("policy.json");
    }

    /** Environment variables that point the clients at this configuration. */
    Map<String, String> env() {
        return Map.of(
                "CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString(),
                "REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString(),
                "XDG_CONFIG_HOME", dir.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", dir.resolve("xdg-data").toString(),
                "XDG_RUNTIME_DIR", dir.resolve("xdg-runtime").toString());
    }

    /** A skopeo command with this configuration; {@code args} follow the global options. */
    Command skopeo(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = ExternalTool.SKOPEO.require().toString();
        argv[1] = "--policy";
        argv[2] = policy().toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        return Command.of(argv).env(env());
    }
}
