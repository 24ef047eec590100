package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import io.wharf.sync.HttpRegistry;
import io.wharf.sync.Sync;
import io.wharf.sync.SyncReport;
import io.wharf.sync.SyncSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf sync}: copies repositories and tags from one registry to another over the distribution API, once.
 * Either side can be this Wharf (by its URL), Distribution, or any OCI registry. Passwords come from a file or the
 * environment, never from the command line (where {@code ps} shows them).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Copy repositories and tags matching patterns from one registry to another.",
            "Blobs the destination has are skipped, blobs copied into another repository are mounted, indexes travel "
                + "with every platform and images with their referrers (signatures, SBOMs). An interrupted copy "
                + "resumes where it stopped when run again.",
            "Exit status: 0 when everything was copied, 1 when something failed (listed), 2 for wrong arguments."})
final class SyncCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "The source registry, e.g. https://registry-1.docker.io")
    URI from;
    @Option(names = "--to", required = true, description = "The destination registry, e.g. http://wharf:5000")
    URI to;
    @Option(names = {"-r", "--repository"}, required = true, paramLabel = "NAME|GLOB",
            description = "A repository or pattern at the source (team/*, library/alpine; ** crosses /). Repeat for "
                    + "more. A pattern needs the source's catalog.")
    List<String> repositories;
    @Option(names = {"-t", "--tag"}, paramLabel = "TAG|GLOB", description = "Tags to copy (default: all). Repeat.")
    List<String> tags = List.of();
    @Option(names = "--prefix", description = "Prepended to each repository name at the destination (hub/).")
    String prefix = "";
    @Option(names = {"-n", "--dry-run"}, description = "List what would be copied; change nothing.")
    boolean dryRun;
    @Option(names = "--no-referrers", description = "Do not copy referrers (signatures, SBOMs) with each image.")
    boolean noReferrers;
    @Option(names = "--from-username", description = "User at the source (password: WHARF_SYNC_FROM_PASSWORD or "
            + "--from-password-file).")
    String fromUser = "";
    @Option(names = "--from-password-file", description = "A file holding the source password.")
    Path fromPasswordFile;
    @Option(names = "--to-username", description = "User at the destination (password: WHARF_SYNC_TO_PASSWORD or "
            + "--to-password-file).")
    String toUser = "";
    @Option(names = "--to-password-file", description = "A file holding the destination password.")
    Path toPasswordFile;
    @Option(names = "--tls-verify", arity = "1", description = "Verify TLS certificates (default: true).")
    boolean tlsVerify = true;
    @Option(names = "--state", description = "Where uploads under way are remembered, to resume an interrupted copy "
            + "(default: a file per source and destination under $XDG_STATE_HOME/wharf or ~/.local/state/wharf).")
    Path state;
    @Option(names = "--chunk-size", description = "MiB per upload request (default: 64).")
    long chunkMiB = SyncSpec.DEFAULT_CHUNK >> 20;
    @Option(names = "--parallel", description = "Blobs copied at once (default: 3).")
    int parallel = SyncSpec.DEFAULT_PARALLEL;
    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Timeout of one request without a body stream (default: 60s).")
    Duration timeout = Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
        SyncSpec spec;
        try {
            spec = new SyncSpec(repositories, tags, prefix, dryRun, !noReferrers, chunkMiB << 20, parallel);
        } catch (IllegalArgumentException e) {
            System.err.println("wharf sync: " + e.getMessage());
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        HttpRegistry source = new HttpRegistry(from, fromUser, password(fromPasswordFile, "WHARF_SYNC_FROM_PASSWORD"),
                tlsVerify, json, timeout, Clock.systemUTC());
        HttpRegistry destination = new HttpRegistry(to, toUser, password(toPasswordFile, "WHARF_SYNC_TO_PASSWORD"),
                tlsVerify, json, timeout, Clock.systemUTC());
        Path stateFile = state != null ? state : defaultState(source.describe(), destination.describe());
        SyncReport report = Sync.run(source, destination, spec, stateFile, json, System.out::println);
        System.out.println(report.summary(dryRun));
        return report.ok() ? 0 : 1;
    }

    private static String password(Path file, String variable) throws java.io.IOException {
        if (file != null) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String env = System.getenv(variable);
        return env == null ? "" : env;
    }

    /** One state file per pair of registries, so concurrent copies between other pairs do not share one. */
    static Path defaultState(String from, String to) {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        String id = Digest.compute(Digest.Algorithm.SHA256, (from + " " + to).getBytes(StandardCharsets.UTF_8))
                .hex().substring(0, 16);
        return base.resolve("wharf").resolve("sync-" + id + ".json");
    }
}
