package io.wharf.server;

import io.wharf.config.RegistryConfig;
import io.wharf.registry.CachePolicy;
import io.wharf.registry.GlobPattern;
import java.time.Duration;
import java.util.List;

/**
 * Each mirrored upstream's repositories as a cache the online collection evicts from: what was neither fetched nor
 * pulled for the upstream's {@code ttl} (Distribution's meaning), then the least recently used until the cache fits
 * its {@code maxbytes}. When the configuration schedules no collection, one is scheduled (every 15 minutes with a
 * byte cap, as the cap is enforced at each collection; every hour with only a ttl), so expiry happens without anyone
 * starting it; it runs online, without stopping the server.
 */
final class MirrorExpiry {
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    static final Duration CAPPED_INTERVAL = Duration.ofMinutes(15);

    private MirrorExpiry() {
    }

    /** The cache policy of each upstream, named as its meters are (the prefix, or the remote's host). */
    static List<CachePolicy> caches(RegistryConfig config) {
        return config.proxy().upstreams().stream().map(u -> new CachePolicy(
                u.prefix().isEmpty() ? u.remoteUrl().getHost() : u.prefix(),
                GlobPattern.compile(u.prefix().isEmpty() ? "**" : u.prefix() + "/**"), u.maxBytes(), u.ttl()))
                .toList();
    }

    /** The configuration with a collection scheduled when a cache needs one and none is. */
    static RegistryConfig apply(RegistryConfig config) {
        List<CachePolicy> caches = caches(config);
        RegistryConfig.Lifecycle l = config.lifecycle();
        if (l.gc().enabled() || caches.stream().noneMatch(CachePolicy::limits)) {
            return config;
        }
        Duration interval = caches.stream().anyMatch(c -> c.maxBytes() > 0) ? CAPPED_INTERVAL : DEFAULT_INTERVAL;
        RegistryConfig.Gc gc = new RegistryConfig.Gc(true, interval, l.gc().gracePeriod(), l.gc().deleteUntagged(),
                false);
        return config.withLifecycle(new RegistryConfig.Lifecycle(gc, l.retention(), l.immutableTags(), l.admin(), l.ui()));
    }
}
