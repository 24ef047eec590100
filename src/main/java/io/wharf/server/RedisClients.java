package io.wharf.server;

import io.wharf.config.RegistryConfig;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** A pooled Redis client from Distribution's {@code redis} keys. */
final class RedisClients {
    private RedisClients() {
    }

    static JedisPooled pooled(RegistryConfig.Redis redis) {
        int colon = redis.addr().lastIndexOf(':');
        HostAndPort address = new HostAndPort(redis.addr().substring(0, colon),
                Integer.parseInt(redis.addr().substring(colon + 1)));
        // Jedis has one socket timeout for reads and writes: the larger of the two configured ones.
        long socketTimeout = Math.max(redis.readTimeout().toMillis(), redis.writeTimeout().toMillis());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) redis.dialTimeout().toMillis())
                .socketTimeoutMillis((int) socketTimeout)
                .database(redis.db())
                .ssl(redis.tls())
                .clientName("wharf");
        if (!redis.password().isEmpty()) {
            client.password(redis.password());
        }
        if (!redis.username().isEmpty()) {
            client.user(redis.username());
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxIdle(Math.max(1, redis.poolMaxIdle()));
        // Virtual threads make many concurrent requests cheap; the pool bounds Redis connections, not requests.
        pool.setMaxTotal(Math.max(8, redis.poolMaxActive()));
        pool.setMinEvictableIdleDuration(redis.poolIdleTimeout());
        return new JedisPooled(pool, address, client.build());
    }
}
