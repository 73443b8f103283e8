package dev.beckon.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * to the dispatcher (an invitation's entries one after the other, its end after its ring;
 * different invitations at once), and stays pending
 * in the group until the dispatcher is done with all its pushes ({@link #finish}): then it is
 * acknowledged and deleted. It reads only while the dispatcher has room. Against a single Redis
 * one reader covers every shard; on a cluster there is one per shard.
 * <p>
 * Takeover: while it holds entries, the reader touches them every third of
 * {@code takeoverAfter} (XCLAIM … JUSTID resets their idle time), so an entry idle longer than
 * that belongs to an instance that died or lost Redis. Every half of {@code takeoverAfter} the
 * reader claims such entries (XAUTOCLAIM, only as many as there is room for) and hands them to
 * the dispatcher in stream order, as it does what it reads. Unlike a webhook, a push counts no
 * attempts across instances: what it is worth ends with the ring, which the dispatcher checks.
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
        /** Unique across the shards' streams: each stream numbers its entries by its own clock, so two share ids. */
        String heldKey() {
            return shard + "/" + entryId;
        }
    }

    /** What the dispatcher offers the reader. */
    interface Sink {
        /** How many more entries it takes now. */
        int room();

        /** Calls {@code then} once there is room (at once when there is). */
        void whenRoom(Runnable then);

        /**
         * Takes on an entry (read now, or taken over from an instance that stopped working on
         * it); completes once its pushes are started. The dispatcher calls {@link #finish} when
         * they are all done.
         */
        Uni<Void> take(Entry entry);
    }

    private final Vertx vertx;
    private final Redis client;
    private final int[] shards;
    private final String consumer;
    private final Duration block;
    private final Duration timeout;
    private final Duration streamTtl;
    private final Duration takeoverAfter;
    private final Sink sink;
    /** The entries handed to the dispatcher and not finished, by shard and id; bounded by the dispatcher's room. */
    private final Map<String, Entry> held = new ConcurrentHashMap<>();
    private final List<Long> timers = new ArrayList<>();
    private volatile boolean running;
    private final AtomicBoolean reclaiming = new AtomicBoolean();
    private RedisConnection connection;

    PushOutbox(Vertx vertx, Redis client, int[] shards, String consumer, Duration block, Duration timeout, Duration streamTtl,
            Duration takeoverAfter, Sink sink) {
        this.vertx = vertx;
        this.client = client;
        this.shards = shards;
        this.consumer = consumer;
        this.block = block;
        this.timeout = timeout;
        this.streamTtl = streamTtl;
        this.takeoverAfter = takeoverAfter;
        this.sink = sink;
    }

    static String key(int shard) {
        return Shards.prefix(shard) + "push";
    }

    void start() {
        running = true;
        timers.add(vertx.setPeriodic(Math.max(1, takeoverAfter.toMillis() / 3), id -> touch()));
        timers.add(vertx.setPeriodic(Math.max(1, takeoverAfter.toMillis() / 2), id -> reclaim()));
        next();
    }

    /** Stops reading; what it holds stays pending, for another instance to take over. */
    void stop() {
        running = false;
        timers.forEach(vertx::cancelTimer);
        drop();
    }

    /** The entries this reader holds: handed to the dispatcher, not finished. */
    int held() {
        return held.size();
    }

    /**
     * Done with every push of an entry: acknowledged and deleted from the outbox. It stays held
     * until then, so a takeover pass running meanwhile does not hand it out again.
     */
    void finish(Entry entry) {
        if (!running) {
            // stopping, and its connection closes next: the entry stays pending, for another
            // instance to take over, rather than an acknowledgement written to a closed connection
            held.remove(entry.heldKey());
            return;
        }
        String key = key(entry.shard());
        client.batch(List.of(Request.cmd(Command.XACK).arg(key).arg(GROUP).arg(entry.entryId()),
                Request.cmd(Command.XDEL).arg(key).arg(entry.entryId())))
                .ifNoItem().after(timeout).fail()
                .subscribe().with(ok -> held.remove(entry.heldKey()), failure -> {
                    held.remove(entry.heldKey());
                    LOG.debugf("Acknowledging push entry %s failed: %s", entry.entryId(), failure.getMessage());
                });
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
        send(read, block.plus(timeout)).subscribe().with(reply -> handle(parse(reply), this::next), this::failed);
    }

    /**
     * Hands a batch to the dispatcher, then runs {@code done}. The entries of one invitation one
     * after the other, so its end is handled after its ring; different invitations at once, so a
     * batch takes the time of its slowest invitation, not of all. The whole batch is held (and
     * touched) from the moment it is read.
     */
    private void handle(List<Entry> entries, Runnable done) {
        if (entries.isEmpty() || !running) {
            done.run();
            return;
        }
        Map<String, List<Entry>> byInvitation = new java.util.LinkedHashMap<>();
        for (Entry entry : entries) {
            if (held.putIfAbsent(entry.heldKey(), entry) == null) { // one already under way here is not taken twice
                byInvitation.computeIfAbsent(entry.invitationId(), id -> new ArrayList<>()).add(entry);
            }
        }
        if (byInvitation.isEmpty()) {
            done.run();
            return;
        }
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(byInvitation.size());
        byInvitation.values().forEach(invitation -> handle(invitation, 0, () -> {
            if (open.decrementAndGet() == 0) {
                done.run();
            }
        }));
    }

    private void handle(List<Entry> entries, int index, Runnable done) {
        if (index == entries.size()) {
            done.run();
            return;
        }
        Entry entry = entries.get(index);
        if (!running) {
            held.remove(entry.heldKey()); // left pending: another instance takes it over
            handle(entries, index + 1, done);
            return;
        }
        sink.take(entry).subscribe().with(ok -> handle(entries, index + 1, done), failure -> {
            LOG.debugf("Push of %s %s not taken on: %s", entry.type(), entry.invitationId(), failure.getMessage());
            finish(entry);
            handle(entries, index + 1, done);
        });
    }

    /** Tells other instances that the entries held here are being worked on. */
    private void touch() {
        if (!running || held.isEmpty()) {
            return;
        }
        Map<Integer, List<String>> byShard = new HashMap<>();
        for (Entry entry : held.values()) {
            byShard.computeIfAbsent(entry.shard(), shard -> new ArrayList<>()).add(entry.entryId());
        }
        byShard.forEach((shard, ids) -> {
            Request claim = Request.cmd(Command.XCLAIM).arg(key(shard)).arg(GROUP).arg(consumer).arg(0);
            ids.forEach(claim::arg);
            client.send(claim.arg("JUSTID")).ifNoItem().after(timeout).fail().subscribe().with(ok -> { },
                    failure -> LOG.debugf("Touching push entries failed: %s", failure.getMessage()));
        });
    }

    /** One pass over the shards, taking over what was left idle for {@code takeoverAfter}; one pass at a time. */
    private void reclaim() {
        if (running && reclaiming.compareAndSet(false, true)) {
            reclaim(0);
        }
    }

    private void reclaim(int index) {
        int room = Math.min(MAX_BATCH, sink.room());
        if (index == shards.length || room == 0 || !running) {
            reclaiming.set(false);
            return;
        }
        int shard = shards[index];
        String key = key(shard);
        client.send(Request.cmd(Command.XAUTOCLAIM).arg(key).arg(GROUP).arg(consumer).arg(takeoverAfter.toMillis()).arg("0-0")
                .arg("COUNT").arg(room)).ifNoItem().after(timeout).fail().subscribe().with(reply -> {
                    List<Entry> claimed = new ArrayList<>();
                    List<String> deleted = new ArrayList<>();
                    if (reply != null && reply.size() >= 2) {
                        for (Response item : reply.get(1)) {
                            Entry entry = item == null ? null : entry(shard, item);
                            if (entry != null) {
                                if (!held.containsKey(entry.heldKey())) { // its own, left untouched: still being worked on here
                                    claimed.add(entry);
                                }
                            } else if (item != null && item.size() > 0) {
                                deleted.add(item.get(0).toString()); // deleted while pending (Redis 6.2 still lists it)
                            }
                        }
                    }
                    if (!deleted.isEmpty()) {
                        Request ack = Request.cmd(Command.XACK).arg(key).arg(GROUP);
                        deleted.forEach(ack::arg);
                        client.send(ack).subscribe().with(ok -> { }, failure -> { });
                    }
                    if (!claimed.isEmpty()) {
                        LOG.debugf("Took over %d push entries of shard %d: %s", claimed.size(), shard,
                                claimed.stream().map(e -> e.entryId() + " " + e.type() + " " + e.invitationId()).toList());
                    }
                    handle(claimed, () -> reclaim(index + 1));
                }, failure -> {
                    if (!String.valueOf(failure.getMessage()).contains("NOGROUP")) {
                        LOG.debugf("Taking over push entries of shard %d failed: %s", shard, failure.getMessage());
                    }
                    reclaim(index + 1);
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
                Entry entry = item == null ? null : entry(shard, item);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** An entry as XREADGROUP or XAUTOCLAIM gives it ([id, [field, value, …]]); null when its fields are gone or incomplete. */
    private static Entry entry(int shard, Response item) {
        if (item.size() < 2 || item.get(1) == null) {
            return null;
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
        return event != null && subject != null && type != null && invitationId != null
                ? new Entry(shard, item.get(0).toString(), event, subject, type, invitationId) : null;
    }
}
