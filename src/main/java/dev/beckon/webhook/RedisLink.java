package dev.beckon.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * One long-lived Redis connection of the webhook client, opened on first use and again after it
 * fails. Commands are pipelined on it, so however many deliveries are in flight they take one
 * connection (per node on a cluster) and never wait for a pool. A blocking read gets a link of
 * its own.
 */
final class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);

    private final Redis client;
    private final Duration timeout;
    private final AtomicReference<Uni<RedisConnection>> connection = new AtomicReference<>();
    private volatile boolean closed;

    RedisLink(Redis client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** Sends one command; fails after {@code timeout}. */
    Uni<Response> send(Request request) {
        return send(request, timeout);
    }

    /** Sends one command that may take up to {@code limit} (a blocking read). */
    Uni<Response> send(Request request, Duration limit) {
        return connection().chain(conn -> conn.send(request))
                .ifNoItem().after(limit).fail()
                .onFailure(RedisLink::isConnectionFailure).invoke(this::drop);
    }

    /** Sends commands of one slot in one round trip. */
    Uni<List<Response>> sendTogether(List<Request> requests) {
        return connection().chain(conn -> conn.batch(requests))
                .ifNoItem().after(timeout).fail()
                .onFailure(RedisLink::isConnectionFailure).invoke(this::drop);
    }

    private Uni<RedisConnection> connection() {
        if (closed) {
            return Uni.createFrom().failure(new IllegalStateException("closed"));
        }
        Uni<RedisConnection> current = connection.get();
        if (current != null) {
            return current;
        }
        Uni<RedisConnection> opening = client.connect()
                .ifNoItem().after(timeout).fail()
                .invoke(conn -> {
                    conn.exceptionHandler(failure -> drop(failure));
                    conn.endHandler(() -> drop(null));
                })
                .onFailure().invoke(failure -> connection.set(null))
                .memoize().indefinitely();
        return connection.compareAndSet(null, opening) ? opening : connection.get();
    }

    /** Forgets the connection after a failure; the next command opens a new one. */
    private void drop(Throwable failure) {
        Uni<RedisConnection> current = connection.getAndSet(null);
        if (current != null) {
            LOG.debugf("Webhook Redis connection dropped: %s", failure == null ? "closed" : failure.getMessage());
            current.subscribe().with(conn -> conn.close().subscribe().with(ok -> { }, f -> { }), f -> { });
        }
    }

    /** A reply error is about the command; anything else (timeout, closed socket) may have broken the connection. */
    private static boolean isConnectionFailure(Throwable failure) {
        return !(failure instanceof io.vertx.redis.client.impl.types.ErrorType);
    }

    void close() {
        closed = true;
        drop(null);
    }
}
