package dev.beckon.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Beckon's own figures at {@code /q/metrics}, beside Quarkus' HTTP, JVM and Redis client metrics:
 * invitations created and how they ended, how late missed calls are declared, how long events
 * take from the state change to a device, and how many streams are open.
 */
@ApplicationScoped
public class BeckonMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    private Timer deliveryLatency;
    private Timer expiryLag;

    @PostConstruct
    void init() {
        deliveryLatency = Timer.builder("beckon.delivery.latency")
                .description("From the state change in Redis to the event written to a device's stream")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
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

    public void openSessions(Supplier<Number> count) {
        Gauge.builder("beckon.sessions.open", count).description("Open event streams on this instance").register(registry);
    }
}
