package dev.beckon.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.config.BeckonConfig;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Script;
import dev.beckon.redis.RedisTopology;
import dev.beckon.store.Shards;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * POSTs every event to {@code beckon.webhook.url}, signed per Standard Webhooks, in CloudEvents
 * structured mode. The scripts queue events in a durable outbox stream per shard, in the same
 * step as the state change; gateways read it through a consumer group ({@link OutboxReader}),
 * so each event is taken by one instance, survives restarts, and is taken over from an instance
 * that died ({@link Reclaimer}). A failed attempt ({@link WebhookSender}: non-2xx, error or
 * timeout) is retried per the {@link RetrySchedule} under the same {@code webhook-id}; after the
 * last attempt the event goes to the {@link DeadLetters}. Webhooks run on their own Redis
 * connections ({@link WebhookRedisClient}), apart from SSE delivery and the functions, and never
 * delay or starve them.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** How long a stop waits for the last acknowledgements before it closes the connection. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    public static final String DEAD_LETTERS = DeadLetters.KEY;
    static final Duration RECLAIM_EVERY = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    RedisTopology topology;

    @Inject
    WebhookRedisClient clients;

    @Inject
    RedisScripts scripts;

    private final List<OutboxReader> readers = new ArrayList<>();
    private volatile boolean running;
    private Redis client;
    private RedisLink commands;
    private Outbox outbox;
    private Acknowledgements acknowledgements;
    private InFlight inFlight;
    private RetrySchedule schedule;
    private WebhookSender sender;
    private DeadLetters deadLetters;
    private WebhookMeters meters;
    private Reclaimer reclaimer;
    private PresenceLookup presence;
    private long reclaimTimer = -1;

    /** One event on its way to the receiver. The body is fixed at the first attempt and reused by every retry. */
    private static final class Delivery {
        final OutboxEntry entry;
        String id;
        String body;
        int attempts;
        /** Failures of any kind in a row (an attempt, or reading presence); drives the backoff. */
        int setbacks;
        String lastError;

        Delivery(OutboxEntry entry) {
            this.entry = entry;
            this.attempts = entry.attempts();
        }
    }

    void start(@Observes StartupEvent event) {
        BeckonConfig.Webhook settings = config.webhook();
        if (!config.role().runsGateway() || settings.url().isEmpty()) {
            return;
        }
        Duration timeout = config.redis().timeout();
        client = clients.create(vertx);
        commands = new RedisLink(client, timeout);
        outbox = new Outbox(commands, UUID.randomUUID().toString(), config.conferenceTtl().plus(config.retention()));
        acknowledgements = new Acknowledgements(vertx, outbox);
        inFlight = new InFlight(settings.concurrency());
        schedule = new RetrySchedule(settings.initialBackoff(), MAX_BACKOFF, settings.maxAttempts());
        sender = new WebhookSender(vertx.getDelegate(), URI.create(settings.url().get()),
                new WebhookSigner(settings.secret().orElseThrow()), settings.timeout(), settings.concurrency(), Clock.systemUTC());
        deadLetters = new DeadLetters(commands, mapper);
        presence = new PresenceLookup(commands, scripts.loaded(Script.PRESENCE));
        meters = new WebhookMeters(registry, inFlight);
        reclaimer = new Reclaimer(outbox, inFlight, this::take);
        running = true;
        for (int[] shards : readerShards(topology.clustered())) {
            readers.add(new OutboxReader(vertx, new RedisLink(client, timeout), outbox, shards,
                    topology.clustered() ? Shards.COUNT : 1, settings.idleWait(), timeout, inFlight, this::take));
        }
        readers.forEach(OutboxReader::start);
        reclaimTimer = vertx.setPeriodic(RECLAIM_EVERY.toMillis(), id -> reclaimAndMeasure());
    }

    /** The shards each reader covers: all in one read against a single Redis, one each on a cluster. */
    static List<int[]> readerShards(boolean clustered) {
        List<int[]> groups = new ArrayList<>();
        if (!clustered) {
            int[] all = new int[Shards.COUNT];
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                all[shard] = shard;
            }
            groups.add(all);
            return groups;
        }
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            groups.add(new int[] { shard });
        }
        return groups;
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        vertx.cancelTimer(reclaimTimer);
        readers.forEach(OutboxReader::stop);
        try {
            acknowledgements.close().await().atMost(STOP_WAIT);
        } catch (RuntimeException e) {
            // what was not acknowledged stays pending and is delivered again by another instance
            LOG.debugf("Acknowledging the last webhook deliveries before the stop: %s", e.getMessage());
        }
        commands.close();
        client.close();
        sender.close();
    }

    private void reclaimAndMeasure() {
        if (running) {
            reclaimer.pass(() -> deadLetters.size().subscribe().with(meters::deadLetterSize, f -> { }));
        }
    }

    /** Starts delivering an entry read or taken over, unless it is already in flight here. */
    private void take(OutboxEntry entry) {
        if (!running || !inFlight.add(entry)) {
            return;
        }
        Delivery delivery = new Delivery(entry);
        if (schedule.exhausted(delivery.attempts)) {
            delivery.id = idOf(entry.event());
            delivery.lastError = "attempts used up before a takeover";
            deadLetter(delivery);
            return;
        }
        prepareThenAttempt(delivery);
    }

    private String idOf(String event) {
        try {
            return mapper.readTree(event).path("id").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private void prepareThenAttempt(Delivery delivery) {
        if (!running) {
            return;
        }
        prepare(delivery).subscribe().with(this::attempt, failure -> {
            delivery.lastError = String.valueOf(failure.getMessage());
            if (delivery.id == null) {
                // not an event at all: no retry can fix that
                delivery.id = "";
                deadLetter(delivery);
                return;
            }
            delivery.setbacks++;
            retryLater(delivery);
        });
    }

    /**
     * The body as the receiver gets it: the event, and for {@code invitation.received} whether
     * the invitee had an open session, so the receiver knows to send a mobile push.
     */
    private Uni<Delivery> prepare(Delivery delivery) {
        if (delivery.body != null) {
            return Uni.createFrom().item(delivery);
        }
        ObjectNode event;
        try {
            event = (ObjectNode) mapper.readTree(delivery.entry.event());
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        delivery.id = event.path("id").asText();
        if (!"invitation.received".equals(delivery.entry.type())) {
            delivery.body = delivery.entry.event();
            return Uni.createFrom().item(delivery);
        }
        return presence.online(delivery.entry.subject()).map(online -> {
            ((ObjectNode) event.get("data")).put("online", online);
            delivery.body = event.toString();
            return delivery;
        });
    }

    private void attempt(Delivery delivery) {
        if (!running) {
            return;
        }
        sender.send(delivery.id, delivery.body).thenAccept(outcome -> vertx.runOnContext(() -> {
            if (outcome.delivered()) {
                meters.delivered();
                finish(delivery);
                return;
            }
            meters.failed();
            delivery.attempts++;
            delivery.setbacks++;
            delivery.lastError = outcome.error();
            if (schedule.exhausted(delivery.attempts)) {
                deadLetter(delivery);
                return;
            }
            outbox.recordAttempts(delivery.entry, delivery.attempts).subscribe().with(ok -> { },
                    f -> LOG.debugf("Recording attempts of %s failed: %s", delivery.id, f.getMessage()));
            retryLater(delivery);
        }));
    }

    private void retryLater(Delivery delivery) {
        Duration delay = schedule.delayAfter(delivery.setbacks);
        LOG.debugf("Webhook %s: %d attempts, last failure %s; next try in %d ms", delivery.id, delivery.attempts,
                delivery.lastError, delay.toMillis());
        vertx.setTimer(delay.toMillis(), id -> prepareThenAttempt(delivery));
    }

    private void deadLetter(Delivery delivery) {
        LOG.warnf("Webhook %s (%s to %s) failed %d times, last: %s; moved to the dead-letter list %s",
                delivery.id, delivery.entry.type(), delivery.entry.subject(), delivery.attempts, delivery.lastError, DEAD_LETTERS);
        String event = delivery.body != null ? delivery.body : delivery.entry.event();
        deadLetters.add(delivery.id, delivery.attempts, delivery.lastError, event, Clock.systemUTC().instant())
                .subscribe().with(size -> {
                    meters.deadLettered(size);
                    finish(delivery);
                }, f -> {
                    // the entry stays pending: an instance takes it over later and tries again
                    LOG.warnf("Could not record dead letter %s: %s", delivery.id, f.getMessage());
                    inFlight.remove(delivery.entry);
                });
    }

    /** Done with an entry: acknowledged and removed from the outbox, then room for the next. */
    private void finish(Delivery delivery) {
        acknowledgements.finish(delivery.entry, () -> inFlight.remove(delivery.entry));
    }
}
