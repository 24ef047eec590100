package io.wharf.server;

import io.wharf.config.RegistryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Distribution's {@code proxy.ttl} as Wharf's retention: content a mirror fetched is removed once it has been
 * neither fetched nor pulled for the upstream's {@code ttl}. Each upstream with a {@code ttl} adds a retention rule
 * for its repositories (keep tags pulled within the ttl), after the configuration's own rules; the collection that
 * removes the tags then reclaims their blobs. When the configuration runs no scheduled collection, one is scheduled
 * every hour, so expiry happens without anyone starting it; it runs online, without stopping the server.
 */
final class MirrorExpiry {
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

    private MirrorExpiry() {
    }

    static RegistryConfig apply(RegistryConfig config) {
        List<RegistryConfig.RetentionRule> rules = new ArrayList<>(config.lifecycle().retention());
        for (RegistryConfig.ProxyUpstream u : config.proxy().upstreams()) {
            if (u.ttl().isPositive()) {
                rules.add(new RegistryConfig.RetentionRule(u.prefix().isEmpty() ? "**" : u.prefix() + "/**", -1,
                        u.ttl(), List.of()));
            }
        }
        if (rules.size() == config.lifecycle().retention().size()) {
            return config;
        }
        RegistryConfig.Lifecycle l = config.lifecycle();
        RegistryConfig.Gc gc = l.gc().enabled() ? l.gc()
                : new RegistryConfig.Gc(true, DEFAULT_INTERVAL, l.gc().gracePeriod(), l.gc().deleteUntagged(), false);
        return config.withLifecycle(new RegistryConfig.Lifecycle(gc, rules, l.immutableTags(), l.admin()));
    }
}
