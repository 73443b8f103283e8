package dev.beckon.redis;

import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisOptions;

/**
 * The options Quarkus built the default Redis client with (endpoints, password, TLS, timeouts),
 * kept so that a connection Beckon opens itself, such as the gateway's pub/sub connection to
 * one cluster node, authenticates and encrypts exactly as the client does. Quarkus calls this
 * last, with everything from {@code quarkus.redis.*} already applied.
 */
@Singleton
public class RedisClientOptions implements RedisOptionsCustomizer {

    private static final String DEFAULT_CLIENT = "<default>";

    private volatile RedisOptions defaults;

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (DEFAULT_CLIENT.equals(clientName)) {
            defaults = new RedisOptions(options);
        }
    }

    /** A copy of the default client's options, or null before that client was created. */
    public RedisOptions copy() {
        RedisOptions known = defaults;
        return known == null ? null : new RedisOptions(known);
    }
}
