package dev.beckon.support;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.beckon.redis.EmbeddedRedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What Beckon runs against in the tests: a real Redis (redis-server from the PATH, else the
 * embedded 6.2 binary) on a free loopback port, and a webhook receiver standing in for the
 * application's backend. For tests of the packaged application (production profile) it also
 * supplies the keys production requires.
 */
public class BackingServices implements QuarkusTestResourceLifecycleManager {

    private static final Logger LOG = Logger.getLogger(BackingServices.class);

    private static EmbeddedRedisServer redis;
    private static WebhookReceiver webhooks;

    public static EmbeddedRedisServer redis() {
        return redis;
    }

    public static WebhookReceiver webhooks() {
        return webhooks;
    }

    @Override
    public Map<String, String> start() {
        if (redis == null) {
            redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
            LOG.infof("Tests run against Redis %s at %s", redis.version(), redis.uri());
        }
        if (webhooks == null) {
            webhooks = WebhookReceiver.start();
        }
        return settings(redis.uri(), webhooks);
    }

    /** What the application under test is configured with, against the Redis at {@code redisHosts}. */
    static Map<String, String> settings(String redisHosts, WebhookReceiver webhooks) {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.http.host", "127.0.0.1");
        settings.put("quarkus.redis.hosts", redisHosts);
        settings.put("mp.jwt.verify.publickey.location", Tokens.appPublicKeyFile());
        settings.put("mp.jwt.verify.issuer", Tokens.ISSUER);
        settings.put("beckon.token.key-location", Tokens.newSigningKeyFile().toString());
        settings.put("beckon.webhook.url", webhooks.url());
        settings.put("beckon.webhook.secret", webhooks.secret());
        settings.put("beckon.webhook.initial-backoff", "200ms");
        settings.put("beckon.webhook.max-attempts", "4");
        settings.put("beckon.events.heartbeat", "1s");
        return settings;
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        if (webhooks != null) {
            webhooks.stop();
            webhooks = null;
        }
    }
}
