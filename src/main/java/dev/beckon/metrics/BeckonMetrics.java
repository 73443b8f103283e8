package dev.beckon.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Beckon's own figures at {@code /q/metrics}, beside Quarkus' HTTP, JVM and Redis client metrics:
 * invitations created and how they ended, how late missed calls are declared, how long events
 * take from the state change to a device, how many streams are open and why they closed, how
 * streams catch up, and the verified-token cache.
 */
@ApplicationScoped
public class BeckonMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    private final Map<String, Counter> closedSessions = new ConcurrentHashMap<>();
    private Counter liveEventsLeft;
    private Counter readBacks;
    private Timer deliveryLatency;
    private Timer expiryLag;

    @PostConstruct
    void init() {
        deliveryLatency = Timer.builder("beckon.delivery.latency")
                .description("From the state change in Redis to the event written to a device's stream")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
        liveEventsLeft = Counter.builder("beckon.events.live.read.back")
                .description("Live events a stream that was catching up left to be read back from the user's streams")
                .register(registry);
        readBacks = Counter.builder("beckon.sessions.read.rounds")
                .description("Rounds of reading back from the users' streams (a resume, or catching up after a lost channel)")
                .register(registry);
        expiryLag = Timer.builder("beckon.expiry.lag")
                .description("How long after its deadline the sweeper expired an invitation (the largest per sweep)")
                .register(registry);
    }

    /**
     * Records what one script step did, as the scripts report it: "CREATED=1,ACCEPTED=1". Counted
     * where the transition happens, so every instance counts only its own and the sums add up.
     */
    public void transitions(String report) {
        if (report == null || report.isEmpty()) {
            return;
        }
        for (String part : report.split(",")) {
            int eq = part.indexOf('=');
            String what = part.substring(0, eq);
            double n = Double.parseDouble(part.substring(eq + 1));
            transitions.computeIfAbsent(what, this::counterFor).increment(n);
        }
    }

    private Counter counterFor(String what) {
        if (what.equals("CREATED")) {
            return Counter.builder("beckon.invitations.created").description("Invitations that started ringing").register(registry);
        }
        return Counter.builder("beckon.invitations.ended").description("Invitations that reached a terminal state, by state")
                .tag("outcome", what.toLowerCase(Locale.ROOT)).register(registry);
    }

    public void delivered(Duration sinceStateChange) {
        deliveryLatency.record(sinceStateChange);
    }

    public void expiredLate(Duration lag) {
        expiryLag.record(lag);
    }

    /** A session ended, for {@code reason} (a small fixed set, see the gateway's {@code Session.CloseReason}). */
    public void sessionClosed(String reason) {
        closedSessions.computeIfAbsent(reason, r -> Counter.builder("beckon.sessions.closed")
                .description("Event streams closed, by reason").tag("reason", r).register(registry)).increment();
    }

    /** A live event a stream that was not caught up left to its next read from the streams (it is not lost). */
    public void liveEventLeftToReadBack() {
        liveEventsLeft.increment();
    }

    /** One read round of a stream catching up (after its start, a resume or a lost channel connection). */
    public void readBack() {
        readBacks.increment();
    }

    /** Size, hits, misses and evictions of the verified-token cache: the {@code cache.*} meters tagged {@code cache=beckon.tokens}. */
    public void tokenCache(Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, "beckon.tokens");
    }

    public void openSessions(Supplier<Number> count) {
        Gauge.builder("beckon.sessions.open", count).description("Open event streams on this instance").register(registry);
    }
}
