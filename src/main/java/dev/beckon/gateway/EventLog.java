package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.beckon.store.ConferenceQueries;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Shards;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** Reads a user's event streams: where they stand, and what came after a position. */
@ApplicationScoped
public class EventLog {

    /** Entries read per request; a longer gap is read in several. */
    static final int READ_BATCH = 1000;
    /** Bound on one replay per shard, so a replay cannot exhaust memory. */
    static final int MAX_REPLAY = 20_000;

    /** Replayed events go out oldest first; within a shard, in stream order. */
    static final Comparator<StreamEvent> TIME_ORDER = Comparator
            .comparingLong((StreamEvent e) -> StreamPosition.millisOf(e.streamId()))
            .thenComparingInt(StreamEvent::shard)
            .thenComparing(StreamEvent::streamId, StreamPosition::compare);

    @Inject
    RedisScripts scripts;

    @Inject
    ConferenceQueries queries;

    /** A new session's start: the current position in every shard and the calls still ringing. */
    public record Start(StreamPosition position, List<StreamEvent> ringing) {
    }

    Uni<Start> start(String userId) {
        return queries.openStreams(userId).map(starts -> {
            StreamPosition position = new StreamPosition();
            List<StreamEvent> ringing = new ArrayList<>();
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                ConferenceQueries.StreamStart start = starts.get(shard);
                position.set(shard, start.lastId());
                for (String line : start.ringing()) {
                    ringing.add(StreamEvent.ringing(line));
                }
            }
            return new Start(position, ringing);
        });
    }

    /** Every event after {@code position}, oldest first (up to {@link #READ_BATCH} per shard). */
    Uni<List<StreamEvent>> since(String userId, StreamPosition position) {
        List<Request> reads = new ArrayList<>(Shards.COUNT);
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            reads.add(range(userId, shard, position.of(shard)));
        }
        // one round for every shard; the rare shard with more than a batch behind reads on alone
        return scripts.sendEach(reads).chain(replies -> {
            List<Uni<List<StreamEvent>>> shards = new ArrayList<>(Shards.COUNT);
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                List<StreamEvent> batch = events(shard, replies.get(shard));
                shards.add(batch.size() < READ_BATCH ? Uni.createFrom().item(batch) : more(userId, shard, batch, MAX_REPLAY - READ_BATCH));
            }
            return Uni.join().all(shards).andFailFast();
        }).map(lists -> {
            List<StreamEvent> all = new ArrayList<>();
            lists.forEach(all::addAll);
            all.sort(TIME_ORDER);
            return all;
        });
    }

    /** Reads on after {@code batch} while full batches come back, up to {@code budget} more entries. */
    private Uni<List<StreamEvent>> more(String userId, int shard, List<StreamEvent> batch, int budget) {
        if (budget <= 0) {
            return Uni.createFrom().item(batch);
        }
        return read(userId, shard, batch.get(batch.size() - 1).streamId()).chain(next -> {
            List<StreamEvent> all = new ArrayList<>(batch);
            all.addAll(next);
            return next.size() < READ_BATCH ? Uni.createFrom().item(all) : more(userId, shard, all, budget - next.size());
        });
    }

    private static Request range(String userId, int shard, String after) {
        return Request.cmd(Command.XRANGE).arg(Shards.eventStream(shard, userId))
                .arg(after == null ? "-" : "(" + after).arg("+").arg("COUNT").arg(READ_BATCH);
    }

    private Uni<List<StreamEvent>> read(String userId, int shard, String after) {
        return scripts.send(range(userId, shard, after)).map(entries -> events(shard, entries));
    }

    private static List<StreamEvent> events(int shard, Response entries) {
        List<StreamEvent> events = new ArrayList<>(entries.size());
        for (Response entry : entries) {
            Response fields = entry.get(1);
            String json = null, type = null, invitationId = null, state = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String value = fields.get(i + 1).toString();
                switch (fields.get(i).toString()) {
                    case "e" -> json = value;
                    case "t" -> type = value;
                    case "i" -> invitationId = StreamEvent.orNull(value);
                    case "s" -> state = StreamEvent.orNull(value);
                    default -> { }
                }
            }
            events.add(new StreamEvent(shard, entry.get(0).toString(), json, type, invitationId, state));
        }
        return events;
    }
}
