package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

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
            .comparingLong((StreamEvent e) -> Long.parseLong(e.streamId().substring(0, e.streamId().indexOf('-'))))
            .thenComparingInt(StreamEvent::shard)
            .thenComparing(StreamEvent::streamId, StreamPosition::compare);

    @Inject
    RedisScripts scripts;

    @Inject
    ConferenceQueries queries;

    @Inject
    ObjectMapper mapper;

    /** A new session's start: the current position in every shard and the calls still ringing. */
    public record Start(StreamPosition position, List<StreamEvent> ringing) {
    }

    Uni<Start> start(String userId) {
        List<Uni<ConferenceQueries.StreamStart>> shards = new ArrayList<>(Shards.COUNT);
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            shards.add(queries.openStream(shard, userId));
        }
        return Uni.join().all(shards).andFailFast().map(starts -> {
            StreamPosition position = new StreamPosition();
            List<StreamEvent> ringing = new ArrayList<>();
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                ConferenceQueries.StreamStart start = starts.get(shard);
                position.set(shard, start.lastId());
                for (String json : start.ringing()) {
                    ringing.add(StreamEvent.of(-1, null, json, mapper));
                }
            }
            return new Start(position, ringing);
        });
    }

    /** Every event after {@code position}, oldest first (up to {@link #READ_BATCH} per shard). */
    Uni<List<StreamEvent>> since(String userId, StreamPosition position) {
        List<Uni<List<StreamEvent>>> shards = new ArrayList<>(Shards.COUNT);
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            shards.add(since(userId, shard, position.of(shard)));
        }
        return Uni.join().all(shards).andFailFast().map(lists -> {
            List<StreamEvent> all = new ArrayList<>();
            lists.forEach(all::addAll);
            all.sort(TIME_ORDER);
            return all;
        });
    }

    private Uni<List<StreamEvent>> since(String userId, int shard, String after) {
        return read(userId, shard, after).chain(batch -> {
            if (batch.size() < READ_BATCH || batch.size() >= MAX_REPLAY) {
                return Uni.createFrom().item(batch);
            }
            return since(userId, shard, batch.get(batch.size() - 1).streamId()).map(rest -> {
                List<StreamEvent> all = new ArrayList<>(batch);
                all.addAll(rest);
                return all;
            });
        });
    }

    private Uni<List<StreamEvent>> read(String userId, int shard, String after) {
        Request range = Request.cmd(Command.XRANGE).arg(Shards.eventStream(shard, userId))
                .arg(after == null ? "-" : "(" + after).arg("+").arg("COUNT").arg(READ_BATCH);
        return scripts.send(range).map(entries -> {
            List<StreamEvent> events = new ArrayList<>(entries.size());
            for (Response entry : entries) {
                Response fields = entry.get(1);
                events.add(StreamEvent.of(shard, entry.get(0).toString(), fields.get(1).toString(), mapper));
            }
            return events;
        });
    }
}
