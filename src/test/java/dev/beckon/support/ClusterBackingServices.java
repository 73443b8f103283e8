package dev.beckon.support;

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
        Map<String, String> settings = BackingServices.settings(cluster.hosts(), webhooks);
        settings.put("quarkus.redis.client-type", "cluster");
        return settings;
    }

    @Override
    public void stop() {
        cluster.stop();
        webhooks.stop();
    }
}
