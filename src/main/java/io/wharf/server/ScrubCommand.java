package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.ConfigResult;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.Registry;
import io.wharf.registry.Scrubber;
import io.wharf.registry.StorageLease;
import io.wharf.storage.StorageDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf scrub CONFIG}: re-hashes every blob and reports corrupt blobs and dangling links. */
@Command(name = "scrub", mixinStandardHelpOptions = true,
        description = "Verify every blob against its digest, report dangling links and check the catalog index; "
                + "exit 1 when anything is wrong.")
final class ScrubCommand implements Callable<Integer> {
    @Option(names = "--quarantine", description = "Move corrupt blobs to _wharf/quarantine so they are not served.")
    boolean quarantine;
    @Option(names = "--force", description = "Quarantine even though a live server's lease is fresh.")
    boolean force;
    @Option(names = "--rebuild-catalog", description = "Make the catalog index match the repositories in storage "
            + "(after Distribution wrote to the same storage).")
    boolean rebuildCatalog;
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Distribution config.yml")
    Path config;

    @Override
    public Integer call() throws Exception {
        ConfigResult result = ConfigSource.load(config, System.getenv());
        if (!result.valid()) {
            result.errors().forEach(e -> System.err.println("error: " + e));
            return 1;
        }
        RegistryConfig cfg = result.config();
        StorageDriver driver = RegistryAssembly.driver(cfg.storage().driver());
        ObjectMapper json = new ObjectMapper();
        var live = new StorageLease(driver, json, Clock.systemUTC()).liveServers(null);
        if (quarantine && !live.isEmpty() && !force) {
            System.err.println("wharf scrub: refusing to quarantine while a live server writes this storage ("
                    + live.get(0).owner() + "); run without --quarantine to only report, or add --force");
            return 2;
        }
        Scrubber.Report report;
        io.wharf.registry.RepositoryIndex.Difference catalog;
        try (RegistryAssembly.Assembled assembled = RegistryAssembly.open(cfg, o -> o, json, Clock.systemUTC())) {
            report = new Scrubber(assembled.registry()).scrub(quarantine);
            var index = assembled.registry().repositories();
            catalog = rebuildCatalog ? index.rebuild() : index.check();
        }
        String fixed = rebuildCatalog ? " -> fixed" : "";
        catalog.missing().forEach(r -> System.out.println("catalog index lacks repository: " + r + fixed));
        catalog.extra().forEach(r -> System.out.println("catalog index names a repository not in storage: " + r
                + fixed));
        report.corrupt().forEach(d -> System.out.println("corrupt blob (content does not match digest): " + d
                + (report.quarantined().contains(d) ? " -> quarantined" : "")));
        report.danglingLinks().forEach(l -> System.out.println("dangling link: " + l));
        report.missingBlobs().forEach(m -> System.out.println("missing: " + m));
        System.out.printf("%d blobs (%d bytes) checked: %d corrupt, %d dangling links, %d missing references%n",
                report.blobsChecked(), report.bytesChecked(), report.corrupt().size(), report.danglingLinks().size(),
                report.missingBlobs().size());
        return report.clean() && (catalog.none() || rebuildCatalog) ? 0 : 1;
    }
}
