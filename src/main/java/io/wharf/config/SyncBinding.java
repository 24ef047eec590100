package io.wharf.config;

import io.wharf.config.RegistryConfig.Sync;
import io.wharf.config.RegistryConfig.SyncJob;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Binds Wharf's {@code sync} section: copies between this registry and others, run on a schedule. */
final class SyncBinding {
    /** Between runs of a job unless it says otherwise. */
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

    private SyncBinding() {
    }

    static Sync bind(ConfigTree tree, Diagnostics diagnostics) {
        String dir = tree.string("sync.statedirectory", "");
        List<SyncJob> jobs = new ArrayList<>();
        if (tree.node("sync.jobs").orElse(null) instanceof Sequence list) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                if (list.items().get(i) instanceof Mapping entry) {
                    job(new ConfigTree(entry), "sync.jobs[" + i + "]", diagnostics).ifPresent(j -> {
                        if (names.add(j.name())) {
                            jobs.add(j);
                        } else {
                            diagnostics.error("sync.jobs: the name \"" + j.name() + "\" is used twice");
                        }
                    });
                }
            }
        }
        return new Sync(jobs, dir.isEmpty() ? Sync.none().stateDirectory() : Path.of(dir));
    }

    private static java.util.Optional<SyncJob> job(ConfigTree t, String at, Diagnostics diagnostics) {
        String name = t.string("name", "");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            diagnostics.error(at + ".name: give the job a name of letters, digits, '.', '_' or '-' (it names its "
                    + "state file and meters)");
            return java.util.Optional.empty();
        }
        String direction = t.string("direction", "pull");
        if (!direction.equals("pull") && !direction.equals("push")) {
            diagnostics.error(at + ".direction: \"pull\" (from the remote into this registry) or \"push\" (from "
                    + "this registry to the remote), got \"" + direction + "\"");
            return java.util.Optional.empty();
        }
        URI uri = t.httpUrl("remoteurl").orElse(null);
        if (uri == null) {
            diagnostics.error(at + ".remoteurl: must be an http or https URL, got \"" + t.string("remoteurl", "")
                    + "\"");
            return java.util.Optional.empty();
        }
        List<String> repositories = t.strings("repositories");
        if (repositories.isEmpty()) {
            diagnostics.error(at + ".repositories: name at least one repository or pattern to copy");
            return java.util.Optional.empty();
        }
        Duration interval = t.duration("interval", DEFAULT_INTERVAL);
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
            diagnostics.error(at + ".interval: at least 1m, got " + interval);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SyncJob(name, direction.equals("pull"), uri, t.string("username", ""),
                t.string("password", ""), t.bool("skipverify", false), repositories, t.strings("tags"),
                t.string("prefix", ""), interval, t.bool("referrers", true)));
    }
}
