package dev.beckon.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.beckon.store.Shards;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The outbox streams as one consumer (one instance) of the {@value #GROUP} consumer group sees
 * them: creating the group, acknowledging, recording attempts and taking over abandoned entries.
 * <p>
 * The attempts made on an entry live in its delivery counter in the group's pending entries
 * list: XREADGROUP sets it to 1, every failed attempt sets it to 1 + attempts (XCLAIM RETRYCOUNT,
 * which also tells other instances the entry is being worked on), and a takeover (XAUTOCLAIM)
 * adds 1. So an instance taking over an entry knows how many attempts were made before.
 */
final class Outbox {

    static final String GROUP = "webhooks";

    /**
     * Creates the group, and the stream when it expired: a stream made here gets the outbox's TTL,
     * as every key Beckon writes has one. One script, so the TTL cannot be missed.
     */
    private static final String CREATE_GROUP = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              local created = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0')
              if type(created) == 'table' and created.err and not string.find(created.err, 'BUSYGROUP') then
                return created
              end
              return 'OK'
            end
            redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 'OK'
            """;

    private final RedisLink redis;
    private final String consumer;
    private final Duration streamTtl;

    Outbox(RedisLink redis, String consumer, Duration streamTtl) {
        this.redis = redis;
        this.consumer = consumer;
        this.streamTtl = streamTtl;
    }

    String consumer() {
        return consumer;
    }

    static String key(int shard) {
        return Shards.webhookOutbox(shard);
    }

    /** Makes sure a shard's stream and group exist (a group that exists already is fine). */
    Uni<Void> createGroup(int shard) {
        return redis.send(Request.cmd(Command.EVAL).arg(CREATE_GROUP).arg(1).arg(key(shard)).arg(GROUP).arg(streamTtl.toMillis()))
                .replaceWithVoid();
    }

    /**
     * The XREADGROUP that takes up to {@code count} new entries of each of {@code shards} for
     * this consumer, waiting up to {@code block} for one to arrive.
     */
    Request readNew(int[] shards, int count, Duration block) {
        Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer)
                .arg("COUNT").arg(count).arg("BLOCK").arg(block.toMillis()).arg("STREAMS");
        for (int shard : shards) {
            read.arg(key(shard));
        }
        for (int i = 0; i < shards.length; i++) {
            read.arg(">");
        }
        return read;
    }

    /** The entries of an XREADGROUP reply: RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries]. */
    static List<OutboxEntry> parseRead(int[] shards, Response reply) {
        List<OutboxEntry> entries = new ArrayList<>();
        if (reply == null) {
            return entries;
        }
        for (int shard : shards) {
            Response list = null;
            String key = key(shard);
            if (reply.isMap()) {
                list = reply.containsKey(key) ? reply.get(key) : null;
            } else {
                for (Response pair : reply) {
                    if (pair != null && pair.size() == 2 && key.equals(pair.get(0).toString())) {
                        list = pair.get(1);
                    }
                }
            }
            if (list != null) {
                for (Response entry : list) {
                    OutboxEntry parsed = OutboxEntry.parse(shard, entry, 0);
                    if (parsed != null) {
                        entries.add(parsed);
                    }
                }
            }
        }
        return entries;
    }

    /** Records that {@code attempts} attempts failed, and keeps other instances from taking the entry over. */
    Uni<Void> recordAttempts(OutboxEntry entry, int attempts) {
        return redis.send(Request.cmd(Command.XCLAIM).arg(key(entry.shard())).arg(GROUP).arg(consumer).arg(0)
                        .arg(entry.entryId()).arg("RETRYCOUNT").arg(1 + attempts).arg("JUSTID"))
                .replaceWithVoid();
    }

    /** Done with entries of a shard, delivered or dead-lettered: acknowledged and removed from the outbox. */
    Uni<Void> finish(int shard, List<String> entryIds) {
        String key = key(shard);
        Request ack = Request.cmd(Command.XACK).arg(key).arg(GROUP);
        Request delete = Request.cmd(Command.XDEL).arg(key);
        for (String id : entryIds) {
            ack.arg(id);
            delete.arg(id);
        }
        return redis.sendTogether(List.of(ack, delete)).replaceWithVoid();
    }

    /**
     * Takes over up to {@code count} entries of a shard that no consumer touched for
     * {@code idle}, with the attempts made on each so far.
     */
    Uni<List<OutboxEntry>> reclaim(int shard, Duration idle, int count) {
        String key = key(shard);
        return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(key).arg(GROUP).arg(consumer)
                        .arg(idle.toMillis()).arg("0-0").arg("COUNT").arg(count))
                .chain(reply -> {
                    if (reply == null || reply.size() < 2 || reply.get(1).size() == 0) {
                        return Uni.createFrom().item(List.<OutboxEntry>of());
                    }
                    Response claimed = reply.get(1);
                    List<String> gone = new ArrayList<>();
                    List<Response> live = new ArrayList<>();
                    for (Response entry : claimed) {
                        if (entry == null) {
                            continue;
                        }
                        if (entry.size() < 2 || entry.get(1) == null) {
                            gone.add(entry.get(0).toString());
                        } else {
                            live.add(entry);
                        }
                    }
                    Uni<Void> cleanup = gone.isEmpty() ? Uni.createFrom().voidItem() : acknowledge(key, gone);
                    if (live.isEmpty()) {
                        return cleanup.map(ok -> List.<OutboxEntry>of());
                    }
                    String first = live.get(0).get(0).toString(), last = live.get(live.size() - 1).get(0).toString();
                    return cleanup.chain(() -> redis.send(Request.cmd(Command.XPENDING).arg(key).arg(GROUP)
                            .arg(first).arg(last).arg(live.size()).arg(consumer))).map(pending -> {
                                Map<String, Long> deliveries = new HashMap<>();
                                for (Response p : pending) {
                                    deliveries.put(p.get(0).toString(), p.get(3).toLong());
                                }
                                List<OutboxEntry> entries = new ArrayList<>();
                                for (Response entry : live) {
                                    long counted = deliveries.getOrDefault(entry.get(0).toString(), 2L);
                                    OutboxEntry parsed = OutboxEntry.parse(shard, entry, attemptsOf(counted));
                                    if (parsed != null) {
                                        entries.add(parsed);
                                    }
                                }
                                return entries;
                            });
                });
    }

    /** Attempts made on an entry just taken over, from its delivery counter (1 + attempts, + 1 for the takeover). */
    static int attemptsOf(long deliveries) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, deliveries - 2));
    }

    /** Entries deleted while pending (Redis 6.2 still lists them): nothing left to deliver. */
    private Uni<Void> acknowledge(String key, List<String> ids) {
        Request ack = Request.cmd(Command.XACK).arg(key).arg(GROUP);
        ids.forEach(ack::arg);
        return redis.send(ack).replaceWithVoid();
    }
}
