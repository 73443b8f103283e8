package dev.beckon.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import dev.beckon.metrics.BeckonMetrics;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * One open event stream of one user (a device). Everything a session does runs on the Vert.x
 * context of its HTTP request, so its position and its writes need no locks and stay in order.
 * <p>
 * It starts by holding live events while its starting point is read (replay from
 * {@code Last-Event-ID}, or the current position plus the calls still ringing), then delivers each
 * event at most once: an event at or before its position in that shard is a duplicate.
 * <p>
 * RESTEasy opens the stream (status, headers, the first event); after that events are written
 * straight to the response, and those that arrive together (an invitation and the participant
 * change that came with it) leave in one write. While the client does not read, events wait
 * (up to {@link #MAX_UNSENT_CHARS}) for the connection to drain; past that the session is closed
 * rather than buffering without bound, and the client reconnects and replays.
 */
final class Session {

    static final int MAX_HELD = 10_000;
    /** What a session buffers for a client that does not keep up before giving up on it. */
    static final int MAX_UNSENT_CHARS = 1 << 20;

    final String id;
    final String userId;
    private final SseEventSink sink;
    private final Sse sse;
    private final HttpServerResponse response;
    private final Context context;
    private final StreamPosition position;
    private final Consumer<StreamEvent> onRingDelivered;
    private final Consumer<Session> onClose;
    private final BeckonMetrics metrics;

    /**
     * Live events waiting while the stream starts or catches up: delivering one early would move
     * its shard's position past older events still to come, which would then be dropped.
     */
    private List<StreamEvent> held = new ArrayList<>();
    private boolean starting = true;
    /** Counts channel losses; live events are held until a catch-up begun after the latest one ends. */
    private long holdEpoch;
    private long caughtUpEpoch;
    private final Set<String> rung = new HashSet<>();
    private final StringBuilder unsent = new StringBuilder();
    private List<StreamEvent> ringWhenSent = new ArrayList<>();
    private boolean flushScheduled;
    private boolean awaitingDrain;
    private boolean closed;

    Session(String id, String userId, SseEventSink sink, Sse sse, HttpServerResponse response, Context context,
            StreamPosition position, Consumer<StreamEvent> onRingDelivered, Consumer<Session> onClose,
            BeckonMetrics metrics) {
        this.id = id;
        this.userId = userId;
        this.sink = sink;
        this.sse = sse;
        this.response = response;
        this.context = context;
        this.position = position;
        this.onRingDelivered = onRingDelivered;
        this.onClose = onClose;
        this.metrics = metrics;
    }

    /** Runs {@code task} on this session's context. */
    void run(Runnable task) {
        context.runOnContext(v -> {
            if (!closed) {
                task.run();
            }
        });
    }

    StreamPosition position() {
        return position;
    }

    /** A live event from the user's channel (call on the session's context). */
    void offer(StreamEvent event) {
        if (holding()) {
            held.add(event);
            if (held.size() > MAX_HELD) {
                close();
            }
            return;
        }
        deliver(event);
        // a live event always has a stream id, which starts with the Redis time of the state change
        long sinceChange = System.currentTimeMillis() - StreamPosition.millisOf(event.streamId());
        metrics.delivered(Duration.ofMillis(Math.max(0, sinceChange)));
    }

    /**
     * Ends the start: opens the stream with the position as its first id (so even a quiet stream
     * can resume), then sends {@code before} (replayed or still-ringing events) and what was held.
     */
    void start(List<StreamEvent> before) {
        // an id with no data: browsers remember it as the last event id without dispatching an event
        sink.send(sse.newEventBuilder().id(position.encode()).comment("").build())
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        run(this::close);
                    }
                });
        for (StreamEvent event : before) {
            deliver(event);
        }
        starting = false;
        releaseWhenCaughtUp();
    }

    /**
     * The channel was lost (or is back and about to be caught up): live events wait from now on
     * (call on the context). Returns the epoch a catch-up begun now must report to release them.
     */
    long holdForCatchUp() {
        if (held == null) {
            held = new ArrayList<>();
        }
        return ++holdEpoch;
    }

    /**
     * Delivers what was read back from the streams, merged in time order with the live events
     * held meanwhile, unless the channel was lost again since this catch-up began.
     */
    void catchUp(List<StreamEvent> missed, long epoch) {
        if (held == null) {
            held = new ArrayList<>();
        }
        held.addAll(missed);
        caughtUpEpoch = Math.max(caughtUpEpoch, epoch);
        releaseWhenCaughtUp();
    }

    private boolean holding() {
        return starting || caughtUpEpoch < holdEpoch;
    }

    private void releaseWhenCaughtUp() {
        if (holding() || held == null) {
            return;
        }
        List<StreamEvent> waiting = held;
        held = null;
        // a live event that was also read back has the same id and is delivered once (see deliver)
        waiting.sort(EventLog.TIME_ORDER);
        for (StreamEvent event : waiting) {
            deliver(event);
        }
    }

    void heartbeat() {
        if (held == null) {
            write(":\n\n");
        }
    }

    private void deliver(StreamEvent event) {
        if (event.shard() >= 0 && !position.advance(event.shard(), event.streamId())) {
            return;
        }
        write("id:" + position.encode() + "\nevent:" + event.type() + "\ndata:" + event.json() + "\n\n");
        if (event.ringsInvitee() && rung.add(event.invitationId())) {
            ringWhenSent.add(event);
        }
    }

    private void write(String text) {
        if (closed) {
            return;
        }
        unsent.append(text);
        if (unsent.length() > MAX_UNSENT_CHARS) {
            close();
        } else if (!flushScheduled && !awaitingDrain) {
            flushScheduled = true;
            run(this::flush);
        }
    }

    /** Sends everything written since the last flush in one write; rings what it delivered once it is out. */
    private void flush() {
        flushScheduled = false;
        if (unsent.length() == 0 || awaitingDrain) {
            return;
        }
        if (sink.isClosed() || response.closed()) {
            close();
            return;
        }
        if (response.writeQueueFull()) {
            awaitingDrain = true;
            response.drainHandler(v -> run(() -> {
                awaitingDrain = false;
                flush();
            }));
            return;
        }
        String text = unsent.toString();
        unsent.setLength(0);
        List<StreamEvent> delivered = ringWhenSent;
        ringWhenSent = new ArrayList<>();
        response.write(text).onComplete(result -> {
            if (result.failed()) {
                run(this::close);
            } else {
                delivered.forEach(onRingDelivered);
            }
        });
    }

    /** Ends the stream (idempotent; call on the context). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        held = null;
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // the connection is gone already
        }
        onClose.accept(this);
    }
}
