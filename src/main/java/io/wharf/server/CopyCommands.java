package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.ConfigResult;
import io.wharf.registry.Registry;
import io.wharf.registry.Scrubber;
import io.wharf.registry.StorageCopy;
import io.wharf.registry.StorageLease;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf backup} and {@code wharf restore}: a consistent copy of a registry taken while it serves, in
 * Distribution's layout (a backup is itself a data directory Wharf or Distribution can serve), incremental, and
 * verified after a restore. The storage being copied from (backup) or into (restore) carries a copy lease for the
 * duration, so no garbage collection deletes anything meanwhile.
 */
final class CopyCommands {
    private static final Duration LEASE_TTL = Duration.ofMinutes(10);

    private CopyCommands() {
    }

    /** The registry's storage: the configuration's driver, or a plain data directory. */
    static StorageDriver storage(Path config, Path dataDir) throws IOException {
        if (dataDir != null) {
            return new FilesystemDriver(dataDir);
        }
        ConfigResult result = ConfigSource.load(config, System.getenv());
        if (!result.valid()) {
            throw new IllegalArgumentException("the configuration is invalid: " + String.join("; ", result.errors()));
        }
        return RegistryAssembly.driver(result.config().storage().driver());
    }

    /** Copies under a copy lease on {@code leased}, refreshed while the copy runs. */
    static StorageCopy.Result copyUnderLease(StorageDriver from, StorageDriver to, StorageDriver leased, boolean prune,
            String what) throws IOException {
        StorageLease lease = new StorageLease(leased, new ObjectMapper(), Clock.systemUTC());
        String owner = "wharf " + what + " pid " + ProcessHandle.current().pid();
        lease.holdCopy(owner, LEASE_TTL);
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("copy-lease").factory());
        refresher.scheduleAtFixedRate(() -> {
            try {
                lease.holdCopy(owner, LEASE_TTL);
            } catch (IOException e) {
                System.err.println("warning: could not refresh the copy lease: " + e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        try {
            return new StorageCopy(from, to).run(prune);
        } finally {
            refresher.shutdownNow();
            lease.releaseCopy();
        }
    }

    static void print(StorageCopy.Result r, PrintStream out) {
        r.problems().forEach(p -> out.println("warning: " + p));
        out.printf("%d blobs copied (%d bytes), %d already there; %d links written, %d removed%n",
                r.blobsCopied(), r.bytesCopied(), r.blobsAlreadyThere(), r.linksWritten(), r.linksRemoved());
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy the registry into DEST (a data directory in Distribution's layout) while it serves; "
                    + "a second run copies only what is new.")
    static final class Backup implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "CONFIG", description = "config.yml of the registry to back up "
                + "(default: $REGISTRY_CONFIGURATION_PATH, else built-in defaults)")
        Path config;
        @Option(names = "--from-dir", paramLabel = "DIR", description = "back up this data directory instead "
                + "(a Distribution or Wharf rootdirectory)")
        Path fromDir;
        @Parameters(index = "0", paramLabel = "DEST", description = "backup directory")
        Path dest;

        @Override
        public Integer call() throws Exception {
            StorageDriver source = storage(config, fromDir);
            StorageCopy.Result result = copyUnderLease(source, new FilesystemDriver(dest), source, true, "backup");
            print(result, System.out);
            return result.problems().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Copy a backup into the registry's storage (adding to what is there), then verify it.")
    static final class Restore implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "CONFIG", description = "config.yml of the registry to restore into "
                + "(default: $REGISTRY_CONFIGURATION_PATH, else built-in defaults)")
        Path config;
        @Option(names = "--to-dir", paramLabel = "DIR", description = "restore into this data directory instead")
        Path toDir;
        @Option(names = "--no-verify", description = "skip re-hashing every blob after the copy")
        boolean noVerify;
        @Parameters(index = "0", paramLabel = "SRC", description = "backup directory")
        Path src;

        @Override
        public Integer call() throws Exception {
            StorageDriver target = storage(config, toDir);
            StorageCopy.Result result = copyUnderLease(new FilesystemDriver(src), target, target, false, "restore");
            print(result, System.out);
            if (noVerify) {
                return result.problems().isEmpty() ? 0 : 1;
            }
            Registry registry = new Registry(target, Registry.RegistryOptions.defaults(), new ObjectMapper(),
                    Clock.systemUTC());
            Scrubber.Report report = new Scrubber(registry).scrub(false);
            report.corrupt().forEach(d -> System.out.println("corrupt blob: " + d));
            report.danglingLinks().forEach(l -> System.out.println("dangling link: " + l));
            report.missingBlobs().forEach(m -> System.out.println("missing: " + m));
            System.out.printf("verified: %d blobs (%d bytes), %d corrupt, %d dangling links, %d missing%n",
                    report.blobsChecked(), report.bytesChecked(), report.corrupt().size(),
                    report.danglingLinks().size(), report.missingBlobs().size());
            return result.problems().isEmpty() && report.clean() ? 0 : 1;
        }
    }
}
