package dev.beckon.redis;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether Beckon talks to one Redis or to a Redis Cluster, read from the Quarkus Redis client's
 * own settings so there is nothing extra to configure. Cluster mode changes two things: commands
 * of different slots cannot share a pipeline, and pub/sub needs a plain connection to one node.
 */
@ApplicationScoped
public class RedisTopology {

    @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone")
    String clientType;

    @ConfigProperty(name = "quarkus.redis.hosts")
    Optional<List<String>> hosts;

    public boolean clustered() {
        return "cluster".equalsIgnoreCase(clientType);
    }

    /** The configured node addresses (empty when a hosts provider supplies them). */
    public List<String> hosts() {
        return hosts.orElse(List.of());
    }
}
