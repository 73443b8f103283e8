package dev.beckon.redis;

import java.net.URI;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.common.annotation.Identifier;

import org.jboss.logging.Logger;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.redis.client.RedisHostsProvider;

/**
 * Dev and test: when {@code quarkus.redis.hosts} is not set, Quarkus asks this provider (named in
 * {@code quarkus.redis.hosts-provider-name}) and it starts a real redis-server on a free port.
 * The server outlives live reloads (they would otherwise wipe the data) and stops with the JVM.
 * A production build has no such bean, and its jar has no redis-server binary.
 */
@ApplicationScoped
@Unremovable
@Identifier("embedded-redis")
@IfBuildProfile(anyOf = { "dev", "test" })
public class EmbeddedRedisHostsProvider implements RedisHostsProvider {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedisHostsProvider.class);
    private static final String PORT_PROPERTY = "dev.beckon.redis.embedded-port";

    @Override
    public Set<URI> getHosts() {
        return Set.of(URI.create("redis://127.0.0.1:" + port()));
    }

    private static synchronized int port() {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            if (DevRedisServer.answersPing(Integer.parseInt(running))) {
                return Integer.parseInt(running);
            }
            LOG.info("The embedded Redis stopped; starting a new one");
        }
        int port = DevRedisServer.freePort();
        Process server = DevRedisServer.start(port);
        System.setProperty(PORT_PROPERTY, Integer.toString(port));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.destroy();
            try {
                server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedded-redis-stop"));
        LOG.infof("Started embedded Redis at redis://127.0.0.1:%d (set quarkus.redis.hosts to use your own)", port);
        return port;
    }
}
