package dev.beckon.webhook;

import io.vertx.mutiny.redis.client.Response;

/**
 * One event waiting in a shard's outbox, as {@code scripts/lib/events.lua}'s {@code emit} wrote it (fields
 * {@code e} the CloudEvent, {@code u} the user it is for, {@code t} its type), with the attempts
 * already made on it (0 when newly read; kept in Redis, see {@link Outbox#recordAttempts}).
 */
public record OutboxEntry(int shard, String entryId, String event, String subject, String type, int attempts) {

    /** An entry of an XREADGROUP/XAUTOCLAIM reply ({@code [id, [field, value, …]]}), or null when it has no event. */
    static OutboxEntry parse(int shard, Response entry, int attempts) {
        if (entry == null || entry.size() < 2 || entry.get(1) == null) {
            return null;
        }
        Response fields = entry.get(1);
        String event = null, subject = null, type = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            switch (fields.get(i).toString()) {
                case "e" -> event = fields.get(i + 1).toString();
                case "u" -> subject = fields.get(i + 1).toString();
                case "t" -> type = fields.get(i + 1).toString();
                default -> { }
            }
        }
        return event == null ? null : new OutboxEntry(shard, entry.get(0).toString(), event, subject, type, attempts);
    }

    /** Identifies the entry among every shard's. */
    String key() {
        return shard + "/" + entryId;
    }

    OutboxEntry withAttempts(int attempts) {
        return new OutboxEntry(shard, entryId, event, subject, type, attempts);
    }
}
