package dev.beckon.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import dev.beckon.metrics.BeckonMetrics;
import dev.beckon.store.ConferenceStore;
import dev.beckon.store.Presence;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.core.Vertx;

/**
 * The open sessions of this gateway instance, by user. Opens a session (subscribe to the
 * user's channel, then read where it starts), keeps each user to a number of sessions, routes
 * each channel message to the user's sessions, has every session read back what went by while
 * the channel connection was lost, marks invitations RINGING once delivered, and keeps presence
 * and heartbeats going.
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
    /** Open sessions by user: at most {@code beckon.events.max-streams-per-user} each (see open). */
    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private long heartbeatTimer = -1;
    private volatile boolean stopping;
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    void start(@Observes StartupEvent event) {
        if (config.role().runsGateway()) {
            if (config.events().maxStreamsPerUser() < 1) {
                throw new IllegalStateException("beckon.events.max-streams-per-user must be at least 1");
            }
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
                s.run(() -> s.close(Session.CloseReason.SHUTDOWN));
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
     * else from now, preceded by the calls still ringing for the user. When the user already has
     * {@code beckon.events.max-streams-per-user} streams here, their oldest one is closed.
     */
    Session open(String userId, StreamPosition resumeFrom, SseEventSink sink, Sse sse, HttpServerResponse response,
            Context context) {
        StreamPosition position = resumeFrom != null ? resumeFrom : new StreamPosition();
        Session session = new Session(instance + ":" + UUID.randomUUID().toString().substring(0, 8), userId,
                serials.incrementAndGet(), sink, sse, response, context, position, from -> log.after(userId, from),
                delivered -> ring(delivered.invitationId(), userId), this::closed, metrics, config.events().reconnectDelay(),
                (int) Math.min(Integer.MAX_VALUE, config.events().maxUnsent().asLongValue()));
        Session displaced = null;
        int limit = config.events().maxStreamsPerUser();
        synchronized (byUser) {
            Set<Session> sessions = byUser.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet());
            sessions.add(session);
            if (sessions.size() > limit) {
                // the newest stream is the device the user is looking at; removed here, so no
                // other open can pick the same one and the user's set never exceeds the limit
                displaced = sessions.stream().min(Comparator.comparingLong(s -> s.serial)).orElseThrow();
                sessions.remove(displaced);
            }
        }
        if (displaced != null) {
            Session oldest = displaced;
            oldest.run(() -> oldest.displace(limit, config.events().displacedReconnectDelay()));
        }
        presence.add(userId, List.of(session.id)).subscribe().with(n -> { }, f -> LOG.debugf("presence: %s", f.getMessage()));

        // the channel first, so nothing published from here on is missed; then the starting point
        // (a resumed stream starts at its Last-Event-ID and reads on from there)
        channels.subscribe(userId)
                .chain(() -> resumeFrom != null
                        ? Uni.createFrom().item(List.<StreamEvent>of())
                        : log.start(userId).map(start -> {
                            session.run(() -> position.setAll(start.position()));
                            return start.ringing();
                        }))
                .subscribe().with(
                        before -> session.run(() -> session.start(before, resumeFrom != null)),
                        failure -> {
                            LOG.warnf("Could not open the event stream of %s: %s", userId, failure.getMessage());
                            session.run(() -> session.close(Session.CloseReason.READ_FAILED));
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
            events = StreamEvent.fromAnnouncements(payload, userId);
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
                session.run(session::channelLost);
            }
        }
    }

    @Override
    public void resubscribed() {
        for (Set<Session> sessions : byUser.values()) {
            for (Session session : sessions) {
                session.run(session::resubscribed);
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
