package io.wharf.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the repositories matching a pattern may hold, and for how long: a mirror's cache of one upstream. Such
 * repositories hold content that can be fetched again, so a collection evicts from them, least recently used
 * first: every root (a tag, or a manifest no tag reaches, such as one fetched by digest) unused for {@code ttl},
 * then more until the bytes fit {@code maxBytes}. Unlike retention, eviction removes the evicted root's manifest
 * too, so the collection reclaims what it alone referenced.
 *
 * @param name what meters and the admin API call it (the upstream's name)
 * @param repositories the repositories it covers
 * @param maxBytes the cap on their bytes together; zero for none
 * @param ttl how long an unused root is kept; zero for ever
 */
public record CachePolicy(String name, GlobPattern repositories, long maxBytes, Duration ttl) {
    public CachePolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(ttl, "ttl");
        if (maxBytes < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("a cache's cap and ttl must not be negative");
        }
    }

    /** Whether a collection ever evicts anything under this policy. */
    public boolean limits() {
        return maxBytes > 0 || ttl.isPositive();
    }
}
