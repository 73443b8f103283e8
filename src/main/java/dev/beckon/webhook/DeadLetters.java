package dev.beckon.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The dead-letter list {@value #KEY}: events that failed every attempt, newest first, the last
 * {@value #KEPT} kept for {@link #TTL} after the latest, for an operator to inspect or replay.
 */
final class DeadLetters {

    static final String KEY = "bk:webhooks:dead";
    static final int KEPT = 1000;
    static final Duration TTL = Duration.ofDays(7);

    private final RedisLink redis;
    private final ObjectMapper mapper;

    DeadLetters(RedisLink redis, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
    }

    /** Records one event given up on; the list's size after it. */
    Uni<Long> add(String webhookId, int attempts, String lastError, String event, Instant failedAt) {
        ObjectNode record = mapper.createObjectNode()
                .put("webhookId", webhookId)
                .put("attempts", attempts)
                .put("lastError", lastError)
                .put("failedAt", failedAt.toString())
                .put("event", event);
        return redis.sendTogether(List.of(
                        Request.cmd(Command.LPUSH).arg(KEY).arg(record.toString()),
                        Request.cmd(Command.LTRIM).arg(KEY).arg(0).arg(KEPT - 1),
                        Request.cmd(Command.PEXPIRE).arg(KEY).arg(TTL.toMillis())))
                .map(replies -> Math.min(replies.get(0).toLong(), KEPT));
    }

    Uni<Long> size() {
        return redis.send(Request.cmd(Command.LLEN).arg(KEY)).map(reply -> reply.toLong());
    }
}
