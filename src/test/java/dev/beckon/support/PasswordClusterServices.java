package dev.beckon.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Like {@link ClusterBackingServices}, on a cluster whose nodes require a password ({@code quarkus.redis.password}). */
public class PasswordClusterServices implements QuarkusTestResourceLifecycleManager {

    private LocalRedisCluster cluster;
    private WebhookReceiver webhooks;

    @Override
    public Map<String, String> start() {
        cluster = LocalRedisCluster.start(3, PasswordRedisServices.PASSWORD);
        webhooks = WebhookReceiver.start();
        Map<String, String> settings = BackingServices.settings(cluster.hosts(), webhooks);
        settings.put("quarkus.redis.client-type", "cluster");
        settings.put("quarkus.redis.password", PasswordRedisServices.PASSWORD);
        return settings;
    }

    @Override
    public void stop() {
        cluster.stop();
        webhooks.stop();
    }
}
