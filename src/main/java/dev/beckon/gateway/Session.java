package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import io.vertx.core.Context;

/**
 * One open event stream of one user (a device). Everything a session does runs on the Vert.x
 * context of its HTTP request, so its position and its writes need no locks and stay in order.
 * <p>
 * It starts by holding live events while its starting point is read (replay from
 * {@code Last-Event-ID}, or the current position plus the calls still ringing), then delivers each
 * event at most once: an event at or before its position in that shard is a duplicate. Writes the
 * client is not reading pile up only to a bound; past it the session is closed, and the client
 * reconnects and replays.
 */
final class Session {

    static final int MAX_UNWRITTEN = 512;
    static final int MAX_HELD = 10_000;
    private static final Comparator<StreamEvent> STREAM_ORDER = Comparator.comparingInt(StreamEvent::shard)
            .thenComparing(StreamEvent::streamId, StreamPosition::compare);

    final String id;
    final String userId;
    private final SseEventSink sink;
    private final Sse sse;
    private final Context context;
    private final StreamPosition position;
    private final Consumer<StreamEvent> onRingDelivered;
    private final Consumer<Session> onClose;

    private List<StreamEvent> held = new ArrayList<>();
    private final Set<String> rung = new HashSet<>();
    private int unwritten;
    private boolean closed;

    Session(String id, String userId, SseEventSink sink, Sse sse, Context context, StreamPosition position,
            Consumer<StreamEvent> onRingDelivered, Consumer<Session> onClose) {
        this.id = id;
        this.userId = userId;
        this.sink = sink;
        this.sse = sse;
        this.context = context;
        this.position = position;
        this.onRingDelivered = onRingDelivered;
        this.onClose = onClose;
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
        if (held != null) {
            held.add(event);
            if (held.size() > MAX_HELD) {
                close();
            }
            return;
        }
        deliver(event);
    }

    /**
     * Ends the start: sends the position (so even a quiet stream has an id to resume from),
     * {@code before} (replayed or still-ringing events), then what was held meanwhile.
     */
    void start(List<StreamEvent> before) {
        // an id with no data: browsers remember it as the last event id without dispatching an event
        write(sse.newEventBuilder().id(position.encode()).comment("").build());
        for (StreamEvent event : before) {
            deliver(event);
        }
        List<StreamEvent> waiting = held;
        held = null;
        waiting.sort(STREAM_ORDER);
        for (StreamEvent event : waiting) {
            deliver(event);
        }
    }

    /** Delivers events read back from the streams after the channel was lost (call on the context). */
    void catchUp(List<StreamEvent> missed) {
        if (held != null) {
            held.addAll(missed);
            return;
        }
        for (StreamEvent event : missed) {
            deliver(event);
        }
    }

    void heartbeat() {
        write(sse.newEventBuilder().comment("").build());
    }

    boolean isClosed() {
        return closed;
    }

    private void deliver(StreamEvent event) {
        if (event.shard() >= 0 && !position.advance(event.shard(), event.streamId())) {
            return;
        }
        boolean rings = event.ringsInvitee() && rung.add(event.invitationId());
        write(sse.newEventBuilder().id(position.encode()).name(event.type()).data(event.json()).build(),
                rings ? () -> onRingDelivered.accept(event) : null);
    }

    private void write(OutboundSseEvent event) {
        write(event, null);
    }

    /** Queues {@code event}; {@code onWritten} runs once it has gone out on the connection. */
    private void write(OutboundSseEvent event, Runnable onWritten) {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        if (++unwritten > MAX_UNWRITTEN) {
            close();
            return;
        }
        sink.send(event).whenComplete((ok, failure) -> context.runOnContext(v -> {
            unwritten--;
            if (failure != null) {
                close();
            } else if (onWritten != null) {
                onWritten.run();
            }
        }));
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
