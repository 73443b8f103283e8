package dev.beckon.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Finished outbox entries, acknowledged and removed together: what finishes within
 * {@link #WINDOW_MS} goes to Redis as one XACK and one XDEL per shard, up to {@link #MAX_BATCH}
 * entries each, rather than two commands per event. An entry stays pending until its batch is
 * sent; if the instance stops first, another takes the entry over and delivers it again, which
 * webhooks allow (receivers deduplicate on {@code webhook-id}). Bounded by the deliveries in
 * flight, which end only once their batch is acknowledged.
 */
final class Acknowledgements {

    private static final Logger LOG = Logger.getLogger(Acknowledgements.class);
    static final long WINDOW_MS = 2;
    static final int MAX_BATCH = 128;

    private record Finished(OutboxEntry entry, Runnable then) {
    }

    private final Vertx vertx;
    private final Outbox outbox;
    /** Guarded by this. */
    private final Map<Integer, List<Finished>> byShard = new HashMap<>();
    /** Guarded by this: whether a flush is due. */
    private boolean flushDue;
    /** Guarded by this: set when the dispatcher stops; nothing is sent after the last flush. */
    private boolean closed;

    Acknowledgements(Vertx vertx, Outbox outbox) {
        this.vertx = vertx;
        this.outbox = outbox;
    }

    /** Acknowledges and removes {@code entry} with the others finishing about now, then runs {@code then}. */
    void finish(OutboxEntry entry, Runnable then) {
        List<Finished> full = null;
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                full = add(new Finished(entry, then));
            }
        }
        if (late) {
            // the connection is closing: the entry stays pending and another instance takes it over
            then.run();
        } else if (full != null) {
            send(entry.shard(), full);
        }
    }

    /** Queues a finished entry, under the lock: its shard's batch when that is now full, else null. */
    private List<Finished> add(Finished finished) {
        int shard = finished.entry().shard();
        List<Finished> batch = byShard.computeIfAbsent(shard, s -> new ArrayList<>());
        batch.add(finished);
        if (batch.size() >= MAX_BATCH) {
            return byShard.remove(shard);
        }
        if (!flushDue) {
            flushDue = true;
            vertx.setTimer(WINDOW_MS, id -> flush());
        }
        return null;
    }

    /** Sends every batch now. */
    void flush() {
        drain().forEach(this::send);
    }

    /**
     * Sends every batch one last time and completes when Redis has answered them: the dispatcher
     * closes its connection only then, so no acknowledgement is written to a closed connection.
     * Entries that finish later stay pending (see {@link #finish}).
     */
    Uni<Void> close() {
        Map<Integer, List<Finished>> due;
        synchronized (this) {
            closed = true;
            due = drain();
        }
        if (due.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sent = new ArrayList<>();
        due.forEach((shard, batch) -> sent.add(acknowledge(shard, batch)));
        return Uni.join().all(sent).andCollectFailures().replaceWithVoid();
    }

    private synchronized Map<Integer, List<Finished>> drain() {
        Map<Integer, List<Finished>> due = new HashMap<>(byShard);
        byShard.clear();
        flushDue = false;
        return due;
    }

    private void send(int shard, List<Finished> batch) {
        acknowledge(shard, batch).subscribe().with(ok -> { }, failure -> { });
    }

    private Uni<Void> acknowledge(int shard, List<Finished> batch) {
        return outbox.finish(shard, batch.stream().map(f -> f.entry().entryId()).toList())
                .onFailure().recoverWithItem(failure -> {
                    // left pending: taken over and delivered again later
                    LOG.debugf("Acknowledging %d webhook deliveries failed: %s", batch.size(), failure.getMessage());
                    return null;
                })
                .invoke(() -> batch.forEach(f -> f.then().run()));
    }
}
