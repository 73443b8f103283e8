package dev.beckon.push;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import dev.beckon.push.webpush.WebPushSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * The one door to device push: which platforms this server can push to, and {@code send}, which
 * picks the platform's sender, bounds the attempt by {@code beckon.push.timeout}, and counts it
 * ({@code beckon_push_attempts_total{platform,outcome}}, {@code beckon_push_latency_seconds}).
 * Whoever forgets a device reports it here ({@code beckon_push_devices_forgotten_total}).
 * Built at start-up, so a misconfigured platform stops the start with the setting's name.
 */
@Startup
@Singleton
public class PushService {

    private static final Logger LOG = Logger.getLogger(PushService.class);

    private final Map<Platform, PushSender> senders;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final Map<Platform, Map<PushOutcome.Kind, Counter>> attempts = new EnumMap<>(Platform.class);
    private final Map<Platform, Timer> latency = new EnumMap<>(Platform.class);

    @Inject
    public PushService(BeckonConfig config, MeterRegistry registry, Vertx vertx) {
        this(PushSetup.senders(config.push(), LaunchMode.current(), Clock.systemUTC(), vertx), config.push().timeout(), registry);
    }

    public PushService(Map<Platform, PushSender> senders, Duration timeout, MeterRegistry registry) {
        Map<Platform, PushSender> copy = new EnumMap<>(Platform.class);
        copy.putAll(senders);
        this.senders = Collections.unmodifiableMap(copy);
        this.timeout = timeout;
        this.registry = registry;
        for (Platform platform : this.senders.keySet()) {
            Map<PushOutcome.Kind, Counter> byOutcome = new EnumMap<>(PushOutcome.Kind.class);
            for (PushOutcome.Kind kind : PushOutcome.Kind.values()) {
                byOutcome.put(kind, Counter.builder("beckon.push.attempts").description("Push attempts, by platform and outcome")
                        .tag("platform", platform.name()).tag("outcome", kind.name()).register(registry));
            }
            attempts.put(platform, byOutcome);
            latency.put(platform, Timer.builder("beckon.push.latency")
                    .description("From a push attempt's start to the push service's answer (or the timeout)")
                    .tag("platform", platform.name()).publishPercentiles(0.5, 0.9, 0.99).register(registry));
        }
    }

    /** Whether this server pushes to that platform (the device registry refuses the others). */
    public boolean configured(Platform platform) {
        return senders.containsKey(platform);
    }

    /** Whether this server pushes to any platform at all (then the scripts queue pushes, see PushDispatcher). */
    public boolean enabled() {
        return !senders.isEmpty();
    }

    /** The VAPID public key browsers subscribe with, when Web Push is on. */
    public Optional<String> applicationServerKey() {
        return Optional.ofNullable((WebPushSender) senders.get(Platform.webpush)).map(sender -> sender.vapid().applicationServerKey());
    }

    /**
     * Pushes one message to one device. Lazy (nothing happens until subscribed); never fails: a
     * timeout is {@link PushOutcome.Retry}, an unconfigured platform {@link PushOutcome.Failed}.
     * Completes on an event loop (or on the timer that bounds the attempt): what follows must not block.
     */
    public Uni<PushOutcome> send(PushTarget target, PushMessage message) {
        return Uni.createFrom().completionStage(() -> attempt(target, message));
    }

    /** Counts a device that the caller forgot. */
    public void forgotten(Platform platform, ForgetReason reason) {
        Counter.builder("beckon.push.devices.forgotten").description("Devices forgotten, by platform and why")
                .tag("platform", platform.name()).tag("reason", reason.name()).register(registry).increment();
    }

    private CompletableFuture<PushOutcome> attempt(PushTarget target, PushMessage message) {
        PushSender sender = senders.get(target.platform());
        if (sender == null) {
            return CompletableFuture.completedFuture(PushOutcome.failed(target.platform() + " is not configured on this server"));
        }
        long started = System.nanoTime();
        // encryption and signing are CPU work: done on a worker, whatever thread subscribed
        return CompletableFuture.supplyAsync(() -> sender.send(target, message), Infrastructure.getDefaultExecutor())
                .thenCompose(sent -> sent)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(PushHttp::transportFailure)
                .thenApply(outcome -> {
                    long nanos = System.nanoTime() - started;
                    latency.get(target.platform()).record(nanos, TimeUnit.NANOSECONDS);
                    attempts.get(target.platform()).get(outcome.kind()).increment();
                    LOG.debugf("push %s %s for %s: %s in %d ms %s", target.platform(), message.type(), message.invitationId(),
                            outcome.kind(), TimeUnit.NANOSECONDS.toMillis(nanos), outcome.reason());
                    return outcome;
                });
    }
}
