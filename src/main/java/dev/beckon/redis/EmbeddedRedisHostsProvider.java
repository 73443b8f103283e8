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
        return Set.of(URI.create(server().uri()));
    }

    private static synchronized EmbeddedRedisServer server() {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            EmbeddedRedisServer existing = new EmbeddedRedisServer(Integer.parseInt(running));
            try {
                existing.call("PING");
                return existing;
            } catch (IllegalStateException gone) {
                LOG.info("The embedded Redis stopped; starting a new one");
            }
        }
        EmbeddedRedisServer server = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        System.setProperty(PORT_PROPERTY, Integer.toString(server.port()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "embedded-redis-stop"));
        LOG.infof("Started embedded Redis %s at %s (set quarkus.redis.hosts to use your own)", server.version(), server.uri());
        return server;
    }
}
