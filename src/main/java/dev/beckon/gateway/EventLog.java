package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.beckon.store.ConferenceQueries;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Script;
import dev.beckon.store.Shards;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/** Reads a user's event logs (one per shard): where they stand, and what came after a position. */
@ApplicationScoped
public class EventLog {

    /**
     * Entries read per shard in one round. A session reads rounds until it has caught up, and
     * passes each round to its client before reading the next, so what one session holds in
     * memory for a catch-up or a replay is one round, however far behind it is.
     */
    static final int READ_BATCH = 200;

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
                    ringing.add(StreamEvent.ringing(line, userId));
                }
            }
            return new Start(position, ringing);
        });
    }

    /**
     * One round of a read-back: events after a position, oldest first, and whether that was all.
     * When a shard had more than a batch, the round stops at the time that shard's batch ends, so
     * events of the other shards never overtake its unread ones.
     */
    record Round(List<StreamEvent> events, boolean complete) {
    }

    /** The next round of events after {@code position} (up to {@link #READ_BATCH} per shard). */
    Uni<Round> after(String userId, StreamPosition position) {
        List<RedisScripts.Call> reads = new ArrayList<>(Shards.COUNT);
        String count = Integer.toString(READ_BATCH);
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            String after = position.of(shard);
            reads.add(new RedisScripts.Call(Shards.eventStream(shard, userId), new String[] { after == null ? "" : after, count }));
        }
        return scripts.runEach(Script.EVENTS, reads).map(replies -> {
            List<StreamEvent> all = new ArrayList<>();
            long cutOff = Long.MAX_VALUE;
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                List<StreamEvent> batch = events(shard, replies.get(shard), userId);
                if (batch.size() >= READ_BATCH) {
                    cutOff = Math.min(cutOff, StreamPosition.millisOf(batch.get(batch.size() - 1).streamId()));
                }
                all.addAll(batch);
            }
            all.sort(TIME_ORDER);
            if (cutOff == Long.MAX_VALUE) {
                return new Round(all, true);
            }
            long last = cutOff;
            return new Round(new ArrayList<>(all.stream().filter(e -> StreamPosition.millisOf(e.streamId()) <= last).toList()), false);
        });
    }

    private static List<StreamEvent> events(int shard, Response entries, String userId) {
        List<StreamEvent> events = new ArrayList<>(entries.size());
        for (Response entry : entries) {
            events.add(StreamEvent.fromEntry(shard, entry.toString(), userId));
        }
        return events;
    }
}
