package dev.beckon.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import dev.beckon.store.Shards;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Reads the push outbox of some shards ({@code <shard prefix>push}, written by scripts/lib/events.lua's
 * {@code emit}) through the {@value #GROUP} consumer group, the way the webhook outbox is read:
 * one blocking XREADGROUP at a time on a connection of its own, so an idle outbox costs one
 * command per {@code block} and an entry is read as soon as it is written. Each entry is handed
 * to the dispatcher, one after the other, and acknowledged and deleted once the dispatcher has
 * taken it on (its pushes then run on their own). It reads only while the dispatcher has room.
 * Against a single Redis one reader covers every shard; on a cluster there is one per shard.
 * <p>
 * Unlike the webhook outbox, entries are not taken over from an instance that dies: an entry is
 * acknowledged within a few Redis round trips of being read, and what a push is worth ends with
 * the ring anyway (at most a few minutes).
 */
final class PushOutbox {

    static final String GROUP = "push";
    static final int MAX_BATCH = 16;
    private static final Logger LOG = Logger.getLogger(PushOutbox.class);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    /** Creates the group, and the stream when it expired, with the outbox's TTL (as the webhook outbox does). */
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

    /** One event to push, as emit wrote it: the CloudEvent, its addressee, type and invitation id. */
    record Entry(int shard, String entryId, String event, String subject, String type, String invitationId) {
    }

    /** What the dispatcher offers the reader. */
    interface Sink {
        /** How many more entries it takes now. */
        int room();

        /** Calls {@code then} once there is room (at once when there is). */
        void whenRoom(Runnable then);

        /** Takes on an entry; completes once it is safe to acknowledge it. */
        Uni<Void> take(Entry entry);
    }

    private final Vertx vertx;
    private final Redis client;
    private final int[] shards;
    private final String consumer;
    private final Duration block;
    private final Duration timeout;
    private final Duration streamTtl;
    private final Sink sink;
    private volatile boolean running;
    private RedisConnection connection;

    PushOutbox(Vertx vertx, Redis client, int[] shards, String consumer, Duration block, Duration timeout, Duration streamTtl,
            Sink sink) {
        this.vertx = vertx;
        this.client = client;
        this.shards = shards;
        this.consumer = consumer;
        this.block = block;
        this.timeout = timeout;
        this.streamTtl = streamTtl;
        this.sink = sink;
    }

    static String key(int shard) {
        return Shards.prefix(shard) + "push";
    }

    void start() {
        running = true;
        next();
    }

    void stop() {
        running = false;
        drop();
    }

    private void next() {
        if (running) {
            sink.whenRoom(() -> vertx.runOnContext(this::read));
        }
    }

    private void read() {
        if (!running) {
            return;
        }
        int count = Math.max(1, Math.min(MAX_BATCH, sink.room()));
        Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer)
                .arg("COUNT").arg(count).arg("BLOCK").arg(block.toMillis()).arg("STREAMS");
        for (int shard : shards) {
            read.arg(key(shard));
        }
        for (int i = 0; i < shards.length; i++) {
            read.arg(">");
        }
        send(read, block.plus(timeout)).subscribe().with(reply -> handle(parse(reply), 0), this::failed);
    }

    /** One entry after the other, so an invitation's end is handled after its ring. */
    private void handle(List<Entry> entries, int index) {
        if (index == entries.size() || !running) {
            next();
            return;
        }
        Entry entry = entries.get(index);
        sink.take(entry).onFailure().recoverWithItem(failure -> {
            LOG.debugf("Push of %s %s not taken on: %s", entry.type(), entry.invitationId(), failure.getMessage());
            return null;
        }).chain(() -> send(Request.cmd(Command.XACK).arg(key(entry.shard())).arg(GROUP).arg(entry.entryId()), timeout))
                .chain(() -> send(Request.cmd(Command.XDEL).arg(key(entry.shard())).arg(entry.entryId()), timeout))
                .subscribe().with(ok -> handle(entries, index + 1), failure -> {
                    LOG.debugf("Acknowledging push entry %s failed: %s", entry.entryId(), failure.getMessage());
                    handle(entries, index + 1);
                });
    }

    /** The group or stream is missing (never written, or expired while idle): create both. Else wait a moment. */
    private void failed(Throwable failure) {
        if (!running) {
            return;
        }
        String message = String.valueOf(failure.getMessage());
        if (message.contains("NOGROUP") || message.contains("UNBLOCKED") || message.contains("no longer exists")) {
            createGroups(0);
        } else {
            LOG.debugf("Reading the push outbox failed: %s", message);
            drop();
            vertx.setTimer(AFTER_FAILURE.toMillis(), id -> next());
        }
    }

    private void createGroups(int index) {
        if (index == shards.length) {
            next();
            return;
        }
        send(Request.cmd(Command.EVAL).arg(CREATE_GROUP).arg(1).arg(key(shards[index])).arg(GROUP).arg(streamTtl.toMillis()), timeout)
                .subscribe().with(ok -> createGroups(index + 1), failure -> {
                    LOG.debugf("Creating the push group failed: %s", failure.getMessage());
                    drop();
                    vertx.setTimer(AFTER_FAILURE.toMillis(), id -> next());
                });
    }

    private Uni<Response> send(Request request, Duration limit) {
        Uni<RedisConnection> conn = connection != null ? Uni.createFrom().item(connection)
                : client.connect().ifNoItem().after(timeout).fail().invoke(c -> connection = c);
        return conn.chain(c -> c.send(request)).ifNoItem().after(limit).fail()
                .onFailure(f -> !(f instanceof io.vertx.redis.client.impl.types.ErrorType)).invoke(f -> drop());
    }

    private void drop() {
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close().subscribe().with(ok -> { }, f -> { });
        }
    }

    /** The entries of an XREADGROUP reply: RESP3 answers a map of stream to entries, RESP2 a list of [stream, entries]. */
    private List<Entry> parse(Response reply) {
        List<Entry> entries = new ArrayList<>();
        if (reply == null) {
            return entries;
        }
        for (int shard : shards) {
            String key = key(shard);
            Response list = null;
            if (reply.isMap()) {
                list = reply.containsKey(key) ? reply.get(key) : null;
            } else {
                for (Response pair : reply) {
                    if (pair != null && pair.size() == 2 && key.equals(pair.get(0).toString())) {
                        list = pair.get(1);
                    }
                }
            }
            if (list == null) {
                continue;
            }
            for (Response item : list) {
                if (item == null || item.size() < 2 || item.get(1) == null) {
                    continue;
                }
                Response fields = item.get(1);
                String event = null, subject = null, type = null, invitationId = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    switch (fields.get(i).toString()) {
                        case "e" -> event = fields.get(i + 1).toString();
                        case "u" -> subject = fields.get(i + 1).toString();
                        case "t" -> type = fields.get(i + 1).toString();
                        case "i" -> invitationId = fields.get(i + 1).toString();
                        default -> { }
                    }
                }
                if (event != null && subject != null && type != null && invitationId != null) {
                    entries.add(new Entry(shard, item.get(0).toString(), event, subject, type, invitationId));
                }
            }
        }
        return entries;
    }
}
