package dev.beckon.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.proxy.ProxyConfigurationRegistry;
import io.quarkus.redis.runtime.client.VertxRedisClientFactory;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The push dispatcher's own Redis client for its blocking outbox reads: the same servers and
 * settings as the application's ({@code quarkus.redis.*}), but its own connections (one per
 * reader, up to 16 on a cluster), so a read waiting for the next push never holds a connection
 * the functions need. Its pool is sized for those readers ({@link PushPoolSize}).
 */
@ApplicationScoped
public class PushRedisClient {

    static final String NAME = "beckon-push";

    @Inject
    TlsConfigurationRegistry tls;

    @Inject
    ProxyConfigurationRegistry proxies;

    /** A new client; the caller closes it. */
    Redis create(Vertx vertx) {
        RedisConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(RedisConfig.class);
        return Redis.newInstance(VertxRedisClientFactory.create(NAME, vertx.getDelegate(),
                config.clients().get(RedisConfig.DEFAULT_CLIENT_NAME), tls, proxies));
    }
}
