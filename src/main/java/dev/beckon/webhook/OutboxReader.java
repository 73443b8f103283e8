package dev.beckon.webhook;

import java.time.Duration;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;

/**
 * Takes new outbox entries of some shards as they arrive: one blocking XREADGROUP at a time on
 * a connection of its own, so an idle outbox costs one command per {@code block}, and an entry
 * written under load is read at once. It only reads when the instance has room for more
 * deliveries, and otherwise waits to be told there is room. Against a single Redis one reader
 * covers every shard; on a cluster, where one command cannot span slots, there is one per shard.
 */
final class OutboxReader {

    private static final Logger LOG = Logger.getLogger(OutboxReader.class);
    static final int MAX_BATCH = 64;
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final RedisLink link;
    private final Outbox outbox;
    private final int[] shards;
    private final int readers;
    private final Duration block;
    private final Duration timeout;
    private final InFlight inFlight;
    private final Consumer<OutboxEntry> sink;
    private volatile boolean running;
    private int failuresInARow;

    OutboxReader(Vertx vertx, RedisLink link, Outbox outbox, int[] shards, int readers, Duration block, Duration timeout,
            InFlight inFlight, Consumer<OutboxEntry> sink) {
        this.vertx = vertx;
        this.link = link;
        this.outbox = outbox;
        this.shards = shards;
        this.readers = readers;
        this.block = block;
        this.timeout = timeout;
        this.inFlight = inFlight;
        this.sink = sink;
    }

    void start() {
        running = true;
        next();
    }

    void stop() {
        running = false;
        link.close();
    }

    private void next() {
        if (running) {
            inFlight.whenRoom(() -> vertx.runOnContext(this::read));
        }
    }

    private void read() {
        if (!running) {
            return;
        }
        int count = Math.max(1, Math.min(MAX_BATCH, inFlight.room() / readers / shards.length));
        link.send(outbox.readNew(shards, count, block), block.plus(timeout)).subscribe().with(reply -> {
            failuresInARow = 0;
            Outbox.parseRead(shards, reply).forEach(sink);
            next();
        }, this::failed);
    }

    /**
     * The group or the stream is missing (the outbox expired while idle, or was never written):
     * create both and read again. Anything else (Redis unreachable): wait a moment.
     */
    private void failed(Throwable failure) {
        if (!running) {
            return;
        }
        failuresInARow++;
        String message = String.valueOf(failure.getMessage());
        Duration wait = failuresInARow > 1 ? RETRY_AFTER_FAILURE : Duration.ZERO;
        if (message.contains("NOGROUP") || message.contains("UNBLOCKED") || message.contains("no longer exists")) {
            createGroups(0, wait);
        } else {
            LOG.debugf("Reading the webhook outbox failed: %s", message);
            later(RETRY_AFTER_FAILURE);
        }
    }

    private void createGroups(int index, Duration then) {
        if (index == shards.length) {
            later(then);
            return;
        }
        outbox.createGroup(shards[index]).subscribe().with(ok -> createGroups(index + 1, then), failure -> {
            LOG.debugf("Creating the webhook group failed: %s", failure.getMessage());
            later(RETRY_AFTER_FAILURE);
        });
    }

    private void later(Duration wait) {
        if (wait.isZero()) {
            vertx.runOnContext(this::next);
        } else {
            vertx.setTimer(wait.toMillis(), id -> next());
        }
    }
}
