package dev.beckon.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

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

    Acknowledgements(Vertx vertx, Outbox outbox) {
        this.vertx = vertx;
        this.outbox = outbox;
    }

    /** Acknowledges and removes {@code entry} with the others finishing about now, then runs {@code then}. */
    void finish(OutboxEntry entry, Runnable then) {
        List<Finished> full = null;
        synchronized (this) {
            List<Finished> batch = byShard.computeIfAbsent(entry.shard(), shard -> new ArrayList<>());
            batch.add(new Finished(entry, then));
            if (batch.size() >= MAX_BATCH) {
                full = byShard.remove(entry.shard());
            } else if (!flushDue) {
                flushDue = true;
                vertx.setTimer(WINDOW_MS, id -> flush());
            }
        }
        if (full != null) {
            send(entry.shard(), full);
        }
    }

    /** Sends every batch now (also when the dispatcher stops). */
    void flush() {
        Map<Integer, List<Finished>> due;
        synchronized (this) {
            due = new HashMap<>(byShard);
            byShard.clear();
            flushDue = false;
        }
        due.forEach(this::send);
    }

    private void send(int shard, List<Finished> batch) {
        outbox.finish(shard, batch.stream().map(f -> f.entry().entryId()).toList()).subscribe().with(
                ok -> batch.forEach(f -> f.then().run()),
                failure -> {
                    // left pending: taken over and delivered again later
                    LOG.debugf("Acknowledging %d webhook deliveries failed: %s", batch.size(), failure.getMessage());
                    batch.forEach(f -> f.then().run());
                });
    }
}
