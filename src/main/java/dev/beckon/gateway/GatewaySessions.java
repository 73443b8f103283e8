package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import dev.beckon.metrics.BeckonMetrics;
import dev.beckon.store.ConferenceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.core.Vertx;

/**
 * The open sessions of this gateway instance, by user. Opens a session (subscribe to the
 * user's channel, then read where it starts), routes each channel message to the user's
 * sessions, catches every session up after the channel connection was lost, marks invitations
 * RINGING once delivered, and keeps presence and heartbeats going.
 */
@ApplicationScoped
public class GatewaySessions implements UserChannels.Listener {

    private static final Logger LOG = Logger.getLogger(GatewaySessions.class);

    @Inject
    UserChannels channels;

    @Inject
    EventLog log;

    @Inject
    Presence presence;

    @Inject
    ConferenceStore store;

    @Inject
    Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    BeckonMetrics metrics;

    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private long heartbeatTimer = -1;
    private volatile boolean stopping;
    private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(3);

    void start(@Observes StartupEvent event) {
        if (config.role().runsGateway()) {
            metrics.openSessions(this::openSessions);
            channels.start(this);
            heartbeatTimer = vertx.setPeriodic(config.events().heartbeat().toMillis(), id -> heartbeat());
        }
    }

    /**
     * Ends every stream and withdraws this instance's presence leases before Redis closes: the
     * leases are removed here and waited for, and the sessions' own close callbacks, which run
     * later on their event loops, then leave Redis and the pub/sub connection alone.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        List<Uni<Long>> removals = new ArrayList<>();
        synchronized (byUser) {
            byUser.forEach((userId, sessions) -> sessions.forEach(s -> {
                removals.add(presence.remove(userId, s.id).onFailure().recoverWithItem(0L));
                s.run(s::close);
            }));
        }
        if (!removals.isEmpty()) {
            try {
                Uni.join().all(removals).andCollectFailures().await().atMost(STOP_WAIT);
            } catch (RuntimeException e) {
                LOG.debugf("Presence leases not withdrawn on stop (they expire on their own): %s", e.getMessage());
            }
        }
        channels.stop();
    }

    /**
     * Opens a stream for {@code userId}: from {@code resumeFrom} (a Last-Event-ID) when given,
     * else from now, preceded by the calls still ringing for the user.
     */
    Session open(String userId, StreamPosition resumeFrom, SseEventSink sink, Sse sse, HttpServerResponse response,
            Context context) {
        StreamPosition position = resumeFrom != null ? resumeFrom : new StreamPosition();
        Session session = new Session(instance + ":" + UUID.randomUUID().toString().substring(0, 8), userId, sink, sse,
                response, context, position, delivered -> ring(delivered.invitationId(), userId), this::closed, metrics);
        synchronized (byUser) {
            byUser.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(session);
        }
        presence.add(userId, List.of(session.id)).subscribe().with(n -> { }, f -> LOG.debugf("presence: %s", f.getMessage()));

        // the channel first, so nothing published from here on is missed; then the starting point
        channels.subscribe(userId)
                .chain(() -> resumeFrom != null
                        ? log.since(userId, resumeFrom)
                        : log.start(userId).map(start -> {
                            session.run(() -> position.setAll(start.position()));
                            return start.ringing();
                        }))
                .subscribe().with(
                        before -> session.run(() -> session.start(before)),
                        failure -> {
                            LOG.warnf("Could not open the event stream of %s: %s", userId, failure.getMessage());
                            session.run(session::close);
                        });
        return session;
    }

    @Override
    public void message(String userId, String payload) {
        Set<Session> sessions = byUser.get(userId);
        if (sessions == null || sessions.isEmpty()) {
            return;
        }
        List<StreamEvent> events;
        try {
            events = StreamEvent.fromAnnouncements(payload);
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring an unreadable announcement for %s: %s", userId, e.getMessage());
            return;
        }
        for (Session session : sessions) {
            session.run(() -> events.forEach(session::offer));
        }
    }

    @Override
    public void channelLost() {
        for (Set<Session> sessions : byUser.values()) {
            for (Session session : sessions) {
                session.run(session::holdForCatchUp);
            }
        }
    }

    @Override
    public void resubscribed() {
        for (Set<Session> sessions : byUser.values()) {
            for (Session session : sessions) {
                session.run(() -> {
                    long epoch = session.holdForCatchUp();
                    StreamPosition from = session.position().copy();
                    log.since(session.userId, from).subscribe().with(
                            missed -> session.run(() -> session.catchUp(missed, epoch)),
                            failure -> session.run(session::close));
                });
            }
        }
    }

    private void ring(String invitationId, String userId) {
        store.ring(invitationId, userId)
                .subscribe().with(r -> { }, f -> LOG.debugf("ring %s: %s", invitationId, f.getMessage()));
    }

    private void closed(Session session) {
        if (stopping) {
            return;
        }
        synchronized (byUser) {
            Set<Session> sessions = byUser.get(session.userId);
            if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
                byUser.remove(session.userId);
                channels.unsubscribe(session.userId);
            }
        }
        presence.remove(session.userId, session.id).subscribe().with(n -> { }, f -> { });
    }

    /** Keeps idle connections (and proxies) alive and renews this instance's presence leases. */
    private void heartbeat() {
        for (Map.Entry<String, Set<Session>> entry : byUser.entrySet()) {
            List<String> ids = new ArrayList<>();
            for (Session session : entry.getValue()) {
                ids.add(session.id);
                session.run(session::heartbeat);
            }
            if (!ids.isEmpty()) {
                presence.add(entry.getKey(), ids).subscribe().with(n -> { }, f -> { });
            }
        }
    }

    /** Open sessions on this instance (for metrics). */
    public int openSessions() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }
}
