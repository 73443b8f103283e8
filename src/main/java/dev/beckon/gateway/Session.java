package dev.beckon.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import dev.beckon.metrics.BeckonMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * One open event stream of one user (a device). Everything a session does runs on the Vert.x
 * context of its HTTP request, so its position and its writes need no locks and stay in order.
 * <p>
 * Each event is delivered at most once: an event at or before the session's position in its
 * shard is a duplicate. Live events from the user's channel are delivered as they come, except
 * while the session is not caught up (it is starting, its channel connection was lost, or it is
 * reading back): then a live event is not kept but left to the streams, where every event is
 * durable, and the session reads on from its position until a read finishes with no live event
 * skipped meanwhile. So a session holds no events while it catches up, only one read round at a
 * time ({@link EventLog#READ_BATCH} entries per shard), and it reads the next round only once the
 * previous one is written to the connection.
 * <p>
 * RESTEasy opens the stream (status, headers, the first event); after that events are written
 * straight to the response, and those that arrive together (an invitation and the participant
 * change that came with it) leave in one write. While the client does not read, events wait
 * (up to {@code beckon.events.max-unsent}) for the connection to drain; past that the session is closed
 * rather than buffering without bound, and the client reconnects and replays.
 */
final class Session {

    /** A read-back round stops adding to the buffer past this; the rest is read again in the next round. */
    static final int ROUND_CHARS = 64 * 1024;
    /** The type of the event that tells a client why its stream was closed. */
    static final String CLOSED_TYPE = "dev.beckon.stream.closed";

    /** Why a session ended, as counted in {@code beckon.sessions.closed}. */
    enum CloseReason {
        /** The client went away or its connection failed. */
        DISCONNECTED("disconnected"),
        /** The client did not read its stream and {@code beckon.events.max-unsent} was waiting. */
        SLOW_CLIENT("slow-client"),
        /** The user opened more streams than {@code beckon.events.max-streams-per-user}; this was the oldest. */
        TOO_MANY_STREAMS("too-many-streams"),
        /** The user's streams could not be read. */
        READ_FAILED("read-failed"),
        /** The gateway is stopping. */
        SHUTDOWN("shutdown");

        final String tag;

        CloseReason(String tag) {
            this.tag = tag;
        }
    }

    final String id;
    final String userId;
    /** Opening order on this instance: the lowest is the oldest of a user's sessions. */
    final long serial;
    private final SseEventSink sink;
    private final Sse sse;
    private final HttpServerResponse response;
    private final Context context;
    private final StreamPosition position;
    private final Function<StreamPosition, Uni<EventLog.Round>> readAfter;
    private final Consumer<StreamEvent> onRingDelivered;
    private final Consumer<Session> onClose;
    private final BeckonMetrics metrics;
    private final Duration reconnectDelay;
    /** What waits for a client that does not keep up before the session gives up on it. */
    private final int maxUnsent;

    private boolean starting = true;
    /** The channel connection is lost: live events may be missing until it is back and read back. */
    private boolean channelDown;
    /** A read of the streams is under way. */
    private boolean reading;
    /** Events may have gone by that no finished or running read covers: read again when possible. */
    private boolean behind;
    /** Replaced, not cleared, once sent: a cleared builder would keep the capacity of its largest burst. */
    private StringBuilder unsent = new StringBuilder();
    private List<StreamEvent> ringWhenSent = new ArrayList<>();
    private int writesInFlight;
    private boolean flushScheduled;
    private boolean awaitingDrain;
    private boolean closed;
    private Runnable onFinish = () -> { };

    Session(String id, String userId, long serial, SseEventSink sink, Sse sse, HttpServerResponse response, Context context,
            StreamPosition position, Function<StreamPosition, Uni<EventLog.Round>> readAfter,
            Consumer<StreamEvent> onRingDelivered, Consumer<Session> onClose, BeckonMetrics metrics, Duration reconnectDelay, int maxUnsent) {
        this.id = id;
        this.userId = userId;
        this.serial = serial;
        this.sink = sink;
        this.sse = sse;
        this.response = response;
        this.context = context;
        this.position = position;
        this.readAfter = readAfter;
        this.onRingDelivered = onRingDelivered;
        this.onClose = onClose;
        this.metrics = metrics;
        this.reconnectDelay = reconnectDelay;
        this.maxUnsent = maxUnsent;
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
        if (starting || channelDown || reading || behind) {
            // delivering it now could move its shard's position past older events not read yet;
            // it is in the stream, and the next read from the position brings it
            behind = true;
            metrics.liveEventLeftToReadBack();
            settle();
            return;
        }
        deliver(event);
        // a live event always has a stream id, which starts with the Redis time of the state change
        long sinceChange = System.currentTimeMillis() - StreamPosition.millisOf(event.streamId());
        metrics.delivered(Duration.ofMillis(Math.max(0, sinceChange)));
    }

    /**
     * Ends the start: opens the stream with the position as its first id (so even a quiet stream
     * can resume), then sends {@code before} (the calls still ringing), then reads on from the
     * position if {@code readBack} (a resumed stream) or if live events came meanwhile.
     */
    void start(List<StreamEvent> before, boolean readBack) {
        // an id with no data: browsers remember it as the last event id without dispatching an event;
        // the retry resets a reconnection delay a previous close may have lengthened (see displace)
        sink.send(sse.newEventBuilder().id(position.encode()).reconnectDelay(reconnectDelay.toMillis()).comment("").build())
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        run(() -> close(CloseReason.DISCONNECTED));
                    }
                });
        for (StreamEvent event : before) {
            deliver(event);
        }
        starting = false;
        behind |= readBack;
        settle();
    }

    /** The channel connection was lost (call on the context): live events may be missing from now on. */
    void channelLost() {
        channelDown = true;
    }

    /** The channel is subscribed again (call on the context): reads back what went by meanwhile. */
    void resubscribed() {
        channelDown = false;
        behind = true;
        settle();
    }

    /** Starts the next read if one is due and nothing stands in its way; else this is called again when it no longer does. */
    private void settle() {
        if (closed || starting || channelDown || reading || !behind) {
            return;
        }
        if (writesInFlight > 0 || awaitingDrain || unsent.length() > 0) {
            return; // the previous round is still on its way to the client (see flush)
        }
        behind = false;
        reading = true;
        metrics.readBack();
        readAfter.apply(position.copy()).subscribe().with(
                round -> run(() -> readBack(round)),
                failure -> run(() -> close(CloseReason.READ_FAILED)));
    }

    /** Delivers one round of events read from the streams, oldest first. */
    private void readBack(EventLog.Round round) {
        reading = false;
        List<StreamEvent> events = round.events();
        int next = 0;
        while (next < events.size() && unsent.length() < ROUND_CHARS && !closed) {
            deliver(events.get(next++));
        }
        // a prefix in time order is a prefix of every shard, so the position covers exactly what was sent
        if (next < events.size() || !round.complete()) {
            behind = true;
        }
        settle();
    }

    void heartbeat() {
        if (!starting) {
            write(":\n\n");
        }
    }

    private void deliver(StreamEvent event) {
        if (event.shard() >= 0 && !position.advance(event.shard(), event.streamId())) {
            return;
        }
        write("id:" + position.encode() + "\nevent:" + event.type() + "\ndata:" + event.json() + "\n\n");
        // no memory of invitations rung is needed: each event reaches a session once (see the
        // position), a ringing call re-sent at the start is at or before the position, and marking
        // an invitation RINGING twice leaves it as it is
        if (event.ringsInvitee()) {
            ringWhenSent.add(event);
        }
    }

    private void write(String text) {
        if (closed) {
            return;
        }
        unsent.append(text);
        if (unsent.length() > maxUnsent) {
            close(CloseReason.SLOW_CLIENT);
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
            close(CloseReason.DISCONNECTED);
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
        unsent = new StringBuilder();
        List<StreamEvent> delivered = ringWhenSent;
        ringWhenSent = new ArrayList<>();
        writesInFlight++;
        response.write(text).onComplete(result -> {
            if (result.failed()) {
                run(() -> close(CloseReason.DISCONNECTED));
            } else {
                delivered.forEach(onRingDelivered);
                run(() -> {
                    writesInFlight--;
                    settle();
                });
            }
        });
    }

    /**
     * Ends the stream because the user opened too many (call on the context): the client gets a
     * {@value #CLOSED_TYPE} event saying so, with a {@code retry} of {@code retry}, so that a browser
     * whose EventSource reconnects by itself waits that long before it displaces the then-oldest
     * stream, rather than taking turns with the user's other streams in a loop.
     */
    void displace(int limit, Duration retry) {
        if (closed) {
            return;
        }
        String data = "{\"reason\":\"too_many_streams\",\"message\":\"This user opened more than " + limit
                + " event streams; the oldest was closed.\",\"retryAfterSeconds\":" + retry.toSeconds() + "}";
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/events\",\"type\":\"" + CLOSED_TYPE
                + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + userId + "\",\"data\":" + data + "}";
        if (starting) {
            // the stream has not opened yet: RESTEasy opens it with this event
            finish(CloseReason.TOO_MANY_STREAMS, false);
            sink.send(sse.newEventBuilder().name(CLOSED_TYPE).reconnectDelay(retry.toMillis()).data(event).build())
                    .whenComplete((ok, failure) -> closeSink());
            return;
        }
        // after what is waiting, past any drain wait: the connection ends right after it
        unsent.append("retry:").append(retry.toMillis()).append("\nevent:").append(CLOSED_TYPE)
                .append("\ndata:").append(event).append("\n\n");
        String text = unsent.toString();
        unsent = new StringBuilder();
        if (!response.closed()) {
            response.write(text);
        }
        finish(CloseReason.TOO_MANY_STREAMS, true);
    }

    /** Runs {@code task} when the session ends (set once, on the context, before anything can end it). */
    void onFinish(Runnable task) {
        onFinish = task;
    }

    /** Ends the stream (idempotent; call on the context). */
    void close(CloseReason reason) {
        finish(reason, true);
    }

    private void finish(CloseReason reason, boolean closeSink) {
        if (closed) {
            return;
        }
        closed = true;
        unsent = new StringBuilder();
        ringWhenSent = List.of();
        metrics.sessionClosed(reason.tag);
        onFinish.run();
        if (closeSink) {
            closeSink();
        }
        onClose.accept(this);
    }

    private void closeSink() {
        try {
            // ends the response after whatever was written before
            sink.close();
        } catch (RuntimeException ignored) {
            // the connection is gone already
        }
    }
}
