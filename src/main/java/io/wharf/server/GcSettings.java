package io.wharf.server;

import io.wharf.config.RegistryConfig;
import io.wharf.registry.GcOptions;
import io.wharf.registry.GlobPattern;
import io.wharf.registry.RetentionRule;
import java.util.List;

/** Turns Wharf's {@code gc} and {@code retention} sections into the domain's {@link GcOptions}. */
final class GcSettings {
    private GcSettings() {
    }

    /** The options of online runs (scheduled and on demand, before request overrides). */
    static GcOptions online(RegistryConfig.Lifecycle lifecycle) {
        RegistryConfig.Gc gc = lifecycle.gc();
        return new GcOptions(gc.dryRun(), gc.deleteUntagged(), gc.gracePeriod(), retention(lifecycle));
    }

    static List<RetentionRule> retention(RegistryConfig.Lifecycle lifecycle) {
        return lifecycle.retention().stream().map(r -> new RetentionRule(GlobPattern.compile(r.repositories()),
                r.keepLast(), r.keepWithin(), GlobPattern.compileAll(r.protect()))).toList();
    }
}
