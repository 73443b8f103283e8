package dev.beckon.webhook;

import java.time.Duration;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.beckon.store.Shards;

/**
 * Takes over outbox entries that an instance read and then stopped working on (it died, or lost
 * Redis): entries untouched for {@link #ABANDONED_AFTER}; an instance retrying an entry touches
 * it after each attempt, far more often. One shard after the other, only as many as there is room
 * for, with the attempts already made on each.
 */
final class Reclaimer {

    private static final Logger LOG = Logger.getLogger(Reclaimer.class);
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private final Outbox outbox;
    private final InFlight inFlight;
    private final Consumer<OutboxEntry> sink;

    Reclaimer(Outbox outbox, InFlight inFlight, Consumer<OutboxEntry> sink) {
        this.outbox = outbox;
        this.inFlight = inFlight;
        this.sink = sink;
    }

    /** One pass over every shard; {@code done} runs at its end. */
    void pass(Runnable done) {
        pass(0, done);
    }

    private void pass(int shard, Runnable done) {
        int room = Math.min(OutboxReader.MAX_BATCH, inFlight.room());
        if (shard == Shards.COUNT || room == 0) {
            done.run();
            return;
        }
        outbox.reclaim(shard, ABANDONED_AFTER, room).subscribe().with(entries -> {
            entries.forEach(sink);
            pass(shard + 1, done);
        }, failure -> {
            LOG.debugf("Reclaiming webhook entries of shard %d failed: %s", shard, failure.getMessage());
            pass(shard + 1, done);
        });
    }
}
