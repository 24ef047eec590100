package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.ConfigResult;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.GarbageCollector;
import io.wharf.registry.GcMetrics;
import io.wharf.registry.GcOptions;
import io.wharf.registry.GcReport;
import io.wharf.registry.Registry;
import io.wharf.registry.StorageLease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.storage.StorageDriver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf garbage-collect}: Distribution's offline mark-and-sweep, same flags and meaning. It
 * refuses while a live Wharf server writes the storage (its lease is fresh), unless asked to
 * {@code --delegate} the run to that server's online collector.
 */
@Command(name = "garbage-collect", mixinStandardHelpOptions = true,
        description = "Delete blobs (and with -m untagged manifests) that nothing references. Offline: "
                + "refuses while a Wharf server writes the storage, unless --delegate or --force.")
final class GarbageCollectCommand implements Callable<Integer> {
    static final Duration LOCK_TTL = Duration.ofMinutes(10);

    @Option(names = {"-d", "--dry-run"}, description = "Only print what would be deleted.")
    boolean dryRun;
    @Option(names = {"-m", "--delete-untagged"}, description = "Delete manifests that no tag references.")
    boolean deleteUntagged;
    @Option(names = "--grace", defaultValue = "0s", converter = DurationConverter.class,
            description = "Keep content newer than this (Go duration, default ${DEFAULT-VALUE}).")
    Duration grace;
    @Option(names = "--delegate", description = "When a live server holds the storage, ask it to collect online.")
    boolean delegate;
    @Option(names = "--force", description = "Run even though a live server's lease is fresh (unsafe).")
    boolean force;
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Distribution config.yml")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ConfigResult result = ConfigSource.load(config, System.getenv());
        if (!result.valid()) {
            result.errors().forEach(e -> System.err.println("error: " + e));
            return 1;
        }
        RegistryConfig cfg = result.config();
        Logging.configure(cfg.log());
        StorageDriver driver = RegistryAssembly.driver(cfg.storage().driver());
        ObjectMapper json = new ObjectMapper();
        StorageLease lease = new StorageLease(driver, json, Clock.systemUTC());
        List<StorageLease.Record> live = lease.liveServers(null);
        if (!live.isEmpty() && !force) {
            return delegate ? delegateTo(live) : refuse(live);
        }
        lease.holdGcLock(owner(), LOCK_TTL);
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("gc-lock").factory());
        try {
            live = lease.liveServers(null);
            if (!live.isEmpty() && !force) {
                return refuse(live);
            }
            refresher.scheduleAtFixedRate(() -> refreshLock(lease), 1, 1, TimeUnit.MINUTES);
            try (RegistryAssembly.Assembled assembled = RegistryAssembly.open(cfg,
                    o -> o.withDelete(true).withReadOnly(false), json, Clock.systemUTC())) {
                GcReport report = new GarbageCollector(assembled.registry(), new GcMetrics(new SimpleMeterRegistry()))
                        .run(new GcOptions(dryRun, deleteUntagged, grace, GcSettings.retention(cfg.lifecycle())));
                print(report, out);
                return 0;
            }
        } finally {
            refresher.shutdownNow();
            lease.releaseGcLock();
        }
    }

    private static void refreshLock(StorageLease lease) {
        try {
            lease.holdGcLock(owner(), LOCK_TTL);
        } catch (Exception e) {
            System.err.println("warning: could not refresh the gc lock: " + e);
        }
    }

    private int refuse(List<StorageLease.Record> live) {
        StorageLease.Record r = live.get(0);
        System.err.println("wharf garbage-collect: refusing to run: a live Wharf server is writing this storage ("
                + r.owner() + (r.url().isEmpty() ? "" : ", " + r.url()) + ").");
        System.err.println("Collect online instead: wharf gc-now --url " + (r.url().isEmpty() ? "http://HOST:PORT" : r.url())
                + " (or add --delegate), or stop the server (or put it in read-only mode) first.");
        return 2;
    }

    private int delegateTo(List<StorageLease.Record> live) throws Exception {
        StorageLease.Record r = live.stream().filter(l -> !l.url().isEmpty()).findFirst().orElse(null);
        if (r == null) {
            return refuse(live);
        }
        System.err.println("a live server holds the storage; delegating to " + r.url());
        return GcNowCommand.print(new AdminClient(r.url()).gc(dryRun, deleteUntagged));
    }

    static void print(GcReport report, PrintStream out) {
        String verb = report.dryRun() ? "eligible for deletion" : "deleted";
        report.tagsRemoved().forEach(t -> out.println("tag " + (report.dryRun() ? "would be removed" : "removed")
                + " by retention: " + t));
        report.manifestsDeleted().forEach(m -> out.println("manifest " + verb + ": " + m));
        report.blobsDeleted().forEach(b -> out.println("blob " + verb + ": " + b));
        report.repositoriesRemoved().forEach(r -> out.println("repository removed (empty): " + r));
        report.missingManifests().forEach(m -> out.println("warning: manifest content missing: " + m));
        out.println(report.summary());
    }

    private static String owner() {
        return "wharf garbage-collect pid " + ProcessHandle.current().pid();
    }
}
