package dev.beckon.support;

import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Like {@link BackingServices}, with a three-master Redis Cluster in place of a single Redis. */
public class ClusterBackingServices implements QuarkusTestResourceLifecycleManager {

    private static final Logger LOG = Logger.getLogger(ClusterBackingServices.class);
    private static LocalRedisCluster cluster;
    private static WebhookReceiver webhooks;

    public static LocalRedisCluster cluster() {
        return cluster;
    }

    public static WebhookReceiver webhooks() {
        return webhooks;
    }

    @Override
    public Map<String, String> start() {
        cluster = LocalRedisCluster.start(3);
        webhooks = WebhookReceiver.start();
        LOG.infof("Tests run against a Redis %s cluster: %s", cluster.nodes().get(0).version(), cluster.hosts());
        return Map.ofEntries(
                Map.entry("quarkus.http.host", "127.0.0.1"),
                Map.entry("quarkus.redis.hosts", cluster.hosts()),
                Map.entry("quarkus.redis.client-type", "cluster"),
                Map.entry("mp.jwt.verify.publickey.location", Path.of("target/test-classes/keys/app-public.pem").toAbsolutePath().toString()),
                Map.entry("mp.jwt.verify.issuer", Tokens.ISSUER),
                Map.entry("beckon.webhook.url", webhooks.url()),
                Map.entry("beckon.webhook.secret", webhooks.secret()),
                Map.entry("beckon.webhook.initial-backoff", "200ms"),
                Map.entry("beckon.events.heartbeat", "1s"));
    }

    @Override
    public void stop() {
        cluster.stop();
        webhooks.stop();
    }
}
