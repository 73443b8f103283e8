package dev.beckon.expiry;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.redis.SubscriberConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The sweeper's own pub/sub connection, subscribed to {@link ExpirySweeper#CHANNEL}, on which the
 * invite script announces deadlines earlier than any a shard had. Against Redis Cluster it talks
 * to one node (a PUBLISH on any node reaches every node's subscribers), the next one after each
 * loss. A lost connection makes the sweeper sweep everything and poll until this is back; a ping
 * every {@link #PING_EVERY} notices a connection that died silently.
 */
@ApplicationScoped
class ExpiryWakeUps {

    private static final Logger LOG = Logger.getLogger(ExpiryWakeUps.class);
    private static final Set<ResponseType> HOLDS_ITEMS = EnumSet.of(ResponseType.PUSH, ResponseType.MULTI);
    static final Duration PING_EVERY = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;

    @Inject
    SubscriberConnections connections;

    private volatile ExpirySweeper sweeper;
    private volatile RedisConnection connection;
    private volatile boolean running;
    private volatile long lastPong;
    private long backoffMs = 50;
    private SubscriberConnections.Opener opener;

    void start(ExpirySweeper sweeper) {
        this.sweeper = sweeper;
        running = true;
        connect();
    }

    void stop() {
        running = false;
        RedisConnection current = connection;
        if (current != null) {
            current.close().subscribe().with(v -> { }, f -> { });
        }
    }

    private Uni<RedisConnection> open() {
        if (opener == null) {
            opener = connections.opener();
        }
        return opener.open();
    }

    private void connect() {
        if (!running) {
            return;
        }
        open().subscribe().with(this::connected, failure -> {
            LOG.debugf("Expiry wake-up connection failed: %s", failure.getMessage());
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
        conn.handler(message -> received(message));
        conn.exceptionHandler(failure -> lost(conn, failure.getMessage()));
        conn.endHandler(() -> lost(conn, "closed"));
        connection = conn;
        // the sweeper hears it is listening once Redis confirms the subscription (see received)
        conn.send(Request.cmd(Command.SUBSCRIBE).arg(ExpirySweeper.CHANNEL))
                .subscribe().with(r -> { }, f -> lost(conn, f.getMessage()));
        vertx.setPeriodic(PING_EVERY.toMillis(), id -> {
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

    private void received(Response message) {
        // a reply that arrives after its request timed out (a late PONG) is no message
        if (message == null || !HOLDS_ITEMS.contains(message.type()) || message.size() < 2) {
            return;
        }
        switch (message.get(0).toString()) {
            case "message" -> {
                if (message.size() >= 3 && ExpirySweeper.CHANNEL.equals(message.get(1).toString())) {
                    wakeUp(message.get(2).toString());
                }
            }
            case "subscribe" -> sweeper.listening();
            default -> { }
        }
    }

    /** "<shard> <deadline ms>" */
    private void wakeUp(String payload) {
        int space = payload.indexOf(' ');
        try {
            sweeper.wake(Integer.parseInt(payload.substring(0, space)), Long.parseLong(payload.substring(space + 1)));
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring an unreadable expiry wake-up: %s", payload);
        }
    }

    private synchronized void lost(RedisConnection conn, String why) {
        if (connection != conn || !running) {
            return;
        }
        LOG.warnf("Lost the expiry wake-up connection to Redis (%s); sweeping every shard until it is back", why);
        connection = null;
        sweeper.deaf();
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
