package dev.beckon.redis;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether Beckon talks to one Redis or to a Redis Cluster, read from the Quarkus Redis client's
 * own settings so there is nothing extra to configure. Cluster mode changes three things: commands
 * of different slots cannot share a pipeline, a script cannot reach keys outside its slot, and
 * pub/sub needs a plain connection to one node.
 */
@ApplicationScoped
public class RedisTopology {

    @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone")
    String clientType;

    @ConfigProperty(name = "quarkus.redis.hosts")
    Optional<List<String>> hosts;

    @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6")
    int poolSize;

    @ConfigProperty(name = "quarkus.redis.max-pool-waiting", defaultValue = "24")
    int poolWaiting;

    public boolean clustered() {
        return "cluster".equalsIgnoreCase(clientType);
    }

    /**
     * Whether one script may touch keys of other slots too: a state step then keeps the users' own
     * keys (busy markers, the invite rate limit) in the same atomic step. True for one Redis (a
     * primary alone, with replicas or behind Sentinel), false on a cluster.
     */
    public boolean scriptsReachEveryKey() {
        return !clustered();
    }

    /** Connections the client keeps per node at most ({@code quarkus.redis.max-pool-size}). */
    public int poolSize() {
        return poolSize;
    }

    /** Commands that may wait for a connection ({@code quarkus.redis.max-pool-waiting}). */
    public int poolWaiting() {
        return poolWaiting;
    }

    /** The configured node addresses (empty when a hosts provider supplies them). */
    public List<String> hosts() {
        return hosts.orElse(List.of());
    }
}
