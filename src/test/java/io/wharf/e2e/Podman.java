package io.wharf.e2e;

import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * podman with its own storage (vfs driver, so no overlay mount is needed), run root, temporary
 * directory and client configuration under one directory: nothing of the machine's image store or
 * {@code /etc/containers} settings is read or changed. No container is ever run, so no cgroup or
 * network setup is needed beyond {@code cgroupfs} and a file events log.
 */
final class Podman {
    private final Path podman;
    private final Path dir;
    private final ClientConfig clients;

    private Podman(Path podman, Path dir, ClientConfig clients) {
        this.podman = podman;
        this.dir = dir;
        this.clients = clients;
    }

    static Podman create(Path dir, ClientConfig clients) throws IOException {
        Path binary = ExternalTool.PODMAN.require();
        for (String sub : List.of("root", "runroot", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("storage.conf"), """
                [storage]
                driver = "vfs"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(dir.resolve("root"), dir.resolve("runroot")));
        Files.writeString(dir.resolve("containers.conf"), """
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s"
                tmp_dir = "%s"
                """.formatted(dir.resolve("events.log"), dir.resolve("tmp")));
        return new Podman(binary, dir, clients);
    }

    /** A podman command with this storage and configuration; {@code args} follow the global options. */
    Command command(String... args) {
        List<String> argv = new ArrayList<>(List.of(podman.toString(),
                "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file",
                "--tmpdir", dir.resolve("tmp").toString()));
        argv.addAll(List.of(args));
        return Command.of(argv).env(clients.env()).env(java.util.Map.of(
                "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(),
                "CONTAINERS_CONF", dir.resolve("containers.conf").toString()));
    }

    Command.Result check(String... args) {
        return command(args).check();
    }
}
