package io.wharf.registry.redis;

import io.wharf.registry.SharedSizes;
import io.wharf.spec.Digest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * Blob sizes in Redis ({@code <prefix>blob:<digest>}), Distribution's {@code blobdescriptor: redis} cache. Entries
 * expire after {@code ttl} unused, so Redis holds the sizes in use rather than every blob ever pushed. When Redis
 * fails, reads answer empty and writes are dropped: the registry reads the storage instead.
 */
final class RedisSharedSizes implements SharedSizes {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSharedSizes.class);
    private final UnifiedJedis redis;
    private final String prefix;
    private final Duration ttl;
    private final RedisHealth health;

    RedisSharedSizes(UnifiedJedis redis, String prefix, Duration ttl, RedisHealth health) {
        this.redis = redis;
        this.prefix = prefix + "blob:";
        this.ttl = ttl;
        this.health = health;
    }

    @Override
    public OptionalLong get(Digest digest) {
        if (!health.readsMayAsk()) {
            return OptionalLong.empty();
        }
        try {
            String value = redis.getEx(prefix + digest, GetExParams.getExParams().px(ttl.toMillis()));
            health.answered();
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
        } catch (JedisException e) {
            health.failed(e);
            LOG.debug("shared blob size of {} not read: {}", digest, e.toString());
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            LOG.debug("shared blob size of {} not read: {}", digest, e.toString());
            return OptionalLong.empty();
        }
    }

    @Override
    public void put(Digest digest, long size) {
        if (!health.readsMayAsk()) {
            return;
        }
        try {
            redis.set(prefix + digest, Long.toString(size), SetParams.setParams().px(ttl.toMillis()));
        } catch (JedisException e) {
            LOG.debug("shared blob size of {} not written: {}", digest, e.toString());
        }
    }

    @Override
    public void remove(Digest digest) {
        try {
            redis.del(prefix + digest);
        } catch (JedisException e) {
            // The entry expires; meanwhile a reader finds the blob gone when it opens it.
            LOG.debug("shared blob size of {} not removed: {}", digest, e.toString());
        }
    }

    /** One {@code DEL} per 1,000 blobs. */
    @Override
    public void removeAll(Collection<Digest> digests) {
        List<String> keys = digests.stream().map(d -> prefix + d).toList();
        for (int from = 0; from < keys.size(); from += 1000) {
            List<String> page = keys.subList(from, Math.min(keys.size(), from + 1000));
            try {
                redis.del(page.toArray(String[]::new));
            } catch (JedisException e) {
                LOG.debug("{} shared blob sizes not removed: {}", page.size(), e.toString());
            }
        }
    }
}
