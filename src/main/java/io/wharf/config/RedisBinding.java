package io.wharf.config;

/** Binds Distribution's {@code redis} section: where the shared coordination and caches live. */
final class RedisBinding {
    private RedisBinding() {
    }

    static RegistryConfig.Redis bind(ConfigTree tree, Diagnostics diagnostics) {
        String addr = tree.string("redis.addr", "");
        if (addr.isEmpty()) {
            if (tree.has("redis")) {
                tree.node("redis").ifPresent(n -> diagnostics.warn("redis", "no redis.addr: Redis is not used", n));
            }
            return RegistryConfig.Redis.none();
        }
        int colon = addr.lastIndexOf(':');
        boolean portOk = false;
        if (colon > 0) {
            try {
                int port = Integer.parseInt(addr.substring(colon + 1));
                portOk = port > 0 && port <= 65535;
            } catch (NumberFormatException e) {
                portOk = false;
            }
        }
        if (!portOk) {
            diagnostics.error("redis.addr", "must be host:port, got \"" + addr + "\"", tree.node("redis.addr").orElseThrow());
            return RegistryConfig.Redis.none();
        }
        var d = RegistryConfig.Redis.defaults(addr);
        return new RegistryConfig.Redis(addr, tree.string("redis.username", ""), tree.string("redis.password", ""),
                tree.integer("redis.db", 0), tree.duration("redis.dialtimeout", d.dialTimeout()),
                tree.duration("redis.readtimeout", d.readTimeout()), tree.duration("redis.writetimeout", d.writeTimeout()),
                tree.integer("redis.pool.maxidle", d.poolMaxIdle()),
                tree.integer("redis.pool.maxactive", d.poolMaxActive()),
                tree.duration("redis.pool.idletimeout", d.poolIdleTimeout()), tree.bool("redis.tls.enabled", false));
    }
}
