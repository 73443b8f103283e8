package dev.beckon.support;

import java.util.Map;

import dev.beckon.redis.EmbeddedRedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Like {@link BackingServices}, with a Redis that requires a password ({@code requirepass}) and
 * the password given the way an operator gives it: {@code quarkus.redis.password}, apart from
 * the URL.
 */
public class PasswordRedisServices implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "s3cret-Pa55";

    private EmbeddedRedisServer redis;
    private WebhookReceiver webhooks;

    @Override
    public Map<String, String> start() {
        redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort(), "--requirepass", PASSWORD).start();
        webhooks = WebhookReceiver.start();
        Map<String, String> settings = BackingServices.settings(redis.uri(), webhooks);
        settings.put("quarkus.redis.password", PASSWORD);
        return settings;
    }

    @Override
    public void stop() {
        redis.stop();
        webhooks.stop();
    }
}
