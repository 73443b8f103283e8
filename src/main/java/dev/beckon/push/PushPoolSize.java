package dev.beckon.push;

import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;

/**
 * Sizes the push client's pool for the connections it keeps (16 readers on a cluster, each
 * holding one connection per node), whatever {@code quarkus.redis.max-pool-size} says for the
 * functions' pool.
 */
@Singleton
public class PushPoolSize implements RedisOptionsCustomizer {

    static final int CONNECTIONS = 24;

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (PushRedisClient.NAME.equals(clientName)) {
            options.setMaxPoolSize(Math.max(options.getMaxPoolSize(), CONNECTIONS));
            options.setMaxPoolWaiting(Math.max(options.getMaxPoolWaiting(), CONNECTIONS));
        }
    }
}
