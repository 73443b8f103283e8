package dev.beckon.webhook;

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
 * The webhook dispatcher's own Redis client: the same servers and settings as the application's
 * ({@code quarkus.redis.*}), but its own connections, so however webhooks fare they never take a
 * connection the functions need. It holds a few long-lived connections (one for commands, one
 * per blocking reader), so its pool is sized for them ({@link WebhookPoolSize}).
 */
@ApplicationScoped
public class WebhookRedisClient {

    static final String NAME = "beckon-webhooks";

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
