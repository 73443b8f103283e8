package dev.beckon.redis;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Opens the long-lived connections Beckon subscribes on (the gateway's user channels, the expiry
 * wake-ups). Against a single Redis that is a connection of the application's client. Against
 * Redis Cluster it is a plain connection to one node, since a PUBLISH on any node reaches every
 * node's subscribers; each {@link Opener} moves on to the next node every time it opens, so
 * losing a node costs one reconnect. Either way the connection logs in and encrypts exactly as
 * the application's client does ({@link RedisClientOptions}).
 */
@ApplicationScoped
public class SubscriberConnections {

    @Inject
    Redis redis;

    @Inject
    Vertx vertx;

    @Inject
    RedisTopology topology;

    @Inject
    RedisClientOptions clientOptions;

    /** An opener of its own for one subscriber: it keeps its place in the node rotation. */
    public Opener opener() {
        return new Opener();
    }

    public final class Opener {

        private Redis nodeClient;
        private int nextNode;

        /** A new connection, on the next node when clustered; the previous node client is closed. */
        public synchronized Uni<RedisConnection> open() {
            if (!topology.clustered()) {
                return redis.connect();
            }
            close();
            // touching the client creates it, which records its options
            redis.getDelegate();
            RedisOptions options = clientOptions.copy();
            List<String> hosts = options.getEndpoints();
            String host = hosts.get(nextNode++ % hosts.size());
            nodeClient = Redis.createClient(vertx, options.setType(RedisClientType.STANDALONE)
                    .setEndpoints(new ArrayList<>(List.of(host))).setPreferredProtocolVersion(ProtocolVersion.RESP3));
            return nodeClient.connect();
        }

        public synchronized void close() {
            if (nodeClient != null) {
                nodeClient.close();
                nodeClient = null;
            }
        }
    }
}
