package dev.beckon.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.redis.RedisTopology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.ResponseType;

/**
 * The gateway's Redis pub/sub connection: one channel per user with an open session here
 * ({@code bk:u:<userId>}). Pub/sub is only the wake-up; what counts is in the users' streams.
 * Redis drops a subscriber that falls behind and the connection can die, so this connection
 * reconnects with backoff, resubscribes every channel and then tells the listener to read back
 * what may have been missed. A ping every few seconds notices a connection that died silently.
 * (The client speaks RESP3 to Redis 6+, where pub/sub messages are typed pushes, so a ping reply
 * is never mistaken for a message.)
 */
@ApplicationScoped
public class UserChannels {

    private static final Logger LOG = Logger.getLogger(UserChannels.class);
    static final String PREFIX = "bk:u:";
    private static final Duration PING_EVERY = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What the gateway does with channel traffic. */
    interface Listener {
        void message(String userId, String payload);

        /**
         * The connection is gone. Until {@link #resubscribed()} and the read-back that follows,
         * live messages may arrive for some channels and not yet for others.
         */
        void channelLost();

        /** The connection was (re)established and every channel resubscribed. */
        void resubscribed();
    }

    @Inject
    Redis redis;

    @Inject
    Vertx vertx;

    @Inject
    RedisTopology topology;

    private final Map<String, Subscription> channels = new ConcurrentHashMap<>();
    private volatile Listener listener;
    private volatile RedisConnection connection;
    private volatile boolean running;
    private volatile long lastPong;
    private long backoffMs = 50;
    private long pingTimer = -1;
    /** Channels resubscribed after a reconnect whose confirmation has not arrived yet. */
    private final Set<String> awaitingResubscribe = new HashSet<>();
    /**
     * Against Redis Cluster, pub/sub runs on a plain connection to one node (a PUBLISH on any node
     * reaches every node's subscribers); each reconnect tries the next node, so losing one node
     * costs a reconnect, not the stream.
     */
    private Redis nodeClient;
    private int nextNode;

    /** A channel this gateway wants, and who waits for Redis to confirm it. */
    private static final class Subscription {
        final List<Runnable> waiting = new ArrayList<>();
        boolean confirmed;
    }

    void start(Listener listener) {
        this.listener = listener;
        this.running = true;
        connect();
    }

    void stop() {
        running = false;
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        RedisConnection current = connection;
        if (current != null) {
            current.close().subscribe().with(v -> { }, f -> { });
        }
    }

    /** Subscribes to a user's channel; completes once Redis has confirmed it (at once if it had). */
    Uni<Void> subscribe(String userId) {
        return Uni.createFrom().emitter(emitter -> {
            String channel = PREFIX + userId;
            synchronized (channels) {
                Subscription subscription = channels.computeIfAbsent(channel, c -> new Subscription());
                if (subscription.confirmed) {
                    emitter.complete(null);
                    return;
                }
                boolean first = subscription.waiting.isEmpty();
                subscription.waiting.add(() -> emitter.complete(null));
                // sent under the lock so SUBSCRIBE and UNSUBSCRIBE of a channel reach Redis in call order
                RedisConnection current = connection;
                if (first && current != null) {
                    current.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).subscribe().with(r -> { }, f -> { });
                }
            }
        });
    }

    void unsubscribe(String userId) {
        String channel = PREFIX + userId;
        boolean allBack;
        synchronized (channels) {
            Subscription removed = channels.remove(channel);
            allBack = awaitingResubscribe.remove(channel) && awaitingResubscribe.isEmpty();
            RedisConnection current = connection;
            if (removed != null && current != null) {
                current.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel)).subscribe().with(r -> { }, f -> { });
            }
        }
        if (allBack) {
            listener.resubscribed();
        }
    }

    private Uni<RedisConnection> open() {
        if (!topology.clustered()) {
            return redis.connect();
        }
        if (nodeClient != null) {
            nodeClient.close();
        }
        List<String> hosts = topology.hosts();
        String host = hosts.get(nextNode++ % hosts.size());
        nodeClient = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(host).setPreferredProtocolVersion(ProtocolVersion.RESP3));
        return nodeClient.connect();
    }

    private void connect() {
        if (!running) {
            return;
        }
        open().subscribe().with(this::connected, failure -> {
            LOG.debugf("Pub/sub connection failed: %s", failure.getMessage());
            retry();
        });
    }

    private void connected(RedisConnection conn) {
        if (!running) {
            conn.close().subscribe().with(v -> { }, f -> { });
            return;
        }
        backoffMs = 50;
        lastPong = System.nanoTime();
        conn.handler(this::received);
        conn.exceptionHandler(failure -> lost(conn, failure.getMessage()));
        conn.endHandler(() -> lost(conn, "closed"));
        connection = conn;
        List<String> wanted;
        synchronized (channels) {
            channels.values().forEach(s -> s.confirmed = false);
            wanted = new ArrayList<>(channels.keySet());
            awaitingResubscribe.clear();
            awaitingResubscribe.addAll(wanted);
        }
        if (wanted.isEmpty()) {
            listener.resubscribed();
        } else {
            // resubscribed() follows once the last of these is confirmed (see confirm)
            Request subscribe = Request.cmd(Command.SUBSCRIBE);
            wanted.forEach(subscribe::arg);
            conn.send(subscribe).subscribe().with(r -> { }, f -> lost(conn, f.getMessage()));
        }
        schedulePing(conn);
    }

    private void received(Response message) {
        // only pushes are channel traffic; a plain reply that reaches the handler (one whose
        // request timed out, say) is not, and has no size to ask for
        if (message == null || (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI)
                || message.size() < 2) {
            return;
        }
        String kind = message.get(0).toString();
        switch (kind) {
            case "message" -> {
                String channel = message.get(1).toString();
                if (channel.startsWith(PREFIX)) {
                    listener.message(channel.substring(PREFIX.length()), message.get(2).toString());
                }
            }
            case "subscribe" -> confirm(message.get(1).toString());
            default -> { }
        }
    }

    private void confirm(String channel) {
        List<Runnable> waiting = List.of();
        boolean allBack;
        synchronized (channels) {
            Subscription subscription = channels.get(channel);
            if (subscription != null) {
                subscription.confirmed = true;
                waiting = new ArrayList<>(subscription.waiting);
                subscription.waiting.clear();
            }
            allBack = awaitingResubscribe.remove(channel) && awaitingResubscribe.isEmpty();
        }
        waiting.forEach(Runnable::run);
        if (allBack) {
            listener.resubscribed();
        }
    }

    private void schedulePing(RedisConnection conn) {
        pingTimer = vertx.setPeriodic(PING_EVERY.toMillis(), id -> {
            if (connection != conn) {
                vertx.cancelTimer(id);
                return;
            }
            if (System.nanoTime() - lastPong > PING_EVERY.multipliedBy(3).toNanos()) {
                lost(conn, "no answer to ping");
                return;
            }
            conn.send(Request.cmd(Command.PING)).subscribe().with(r -> lastPong = System.nanoTime(), f -> lost(conn, f.getMessage()));
        });
    }

    private synchronized void lost(RedisConnection conn, String why) {
        if (connection != conn || !running) {
            return;
        }
        LOG.warnf("Lost the pub/sub connection to Redis (%s); reconnecting", why);
        connection = null;
        listener.channelLost();
        conn.close().subscribe().with(v -> { }, f -> { });
        retry();
    }

    private void retry() {
        if (!running) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        vertx.setTimer(delay, id -> connect());
    }
}
