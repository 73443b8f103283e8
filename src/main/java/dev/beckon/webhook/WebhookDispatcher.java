package dev.beckon.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.config.BeckonConfig;
import dev.beckon.gateway.Presence;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Shards;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * POSTs every event to {@code beckon.webhook.url}, signed per Standard Webhooks, in CloudEvents
 * structured mode. The scripts queue events in a durable outbox stream per shard, in the same
 * step as the state change; gateways read it through a consumer group, so each event is taken
 * by one instance, survives restarts, and is taken over from an instance that died. A failed
 * attempt (non-2xx, error or timeout) is retried with exponential backoff and jitter under the
 * same {@code webhook-id}; after the last attempt the event goes to a dead-letter list.
 * Webhooks run apart from SSE delivery and never delay it.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String GROUP = "webhooks";
    public static final String DEAD_LETTERS = "bk:webhooks:dead";
    static final int DEAD_LETTERS_KEPT = 1000;
    static final Duration DEAD_LETTER_TTL = Duration.ofDays(7);
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration RECLAIM_EVERY = Duration.ofSeconds(30);
    /** An entry untouched this long belongs to an instance that is gone; retries touch theirs more often. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    @Inject
    RedisScripts redis;

    @Inject
    Presence presence;

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    MeterRegistry registry;

    private final String consumer = UUID.randomUUID().toString();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong deadLetterSize = new AtomicLong();
    private volatile boolean running;
    private WebhookSigner signer;
    private HttpClient http;
    private URI url;
    private Counter delivered;
    private Counter failedAttempts;
    private Counter deadLettered;

    /** One event on its way to the receiver. The body is fixed at the first attempt and reused by every retry. */
    private static final class Delivery {
        final int shard;
        final String entryId;
        final String event;
        final String subject;
        final String type;
        String id;
        String body;
        int attempts;
        String lastError;

        Delivery(int shard, String entryId, String event, String subject, String type) {
            this.shard = shard;
            this.entryId = entryId;
            this.event = event;
            this.subject = subject;
            this.type = type;
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.role().runsGateway() || config.webhook().url().isEmpty()) {
            return;
        }
        url = URI.create(config.webhook().url().get());
        signer = new WebhookSigner(config.webhook().secret().orElseThrow());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.webhook().timeout()).build();
        delivered = registry.counter("beckon.webhook.attempts", "outcome", "delivered");
        failedAttempts = registry.counter("beckon.webhook.attempts", "outcome", "failed");
        deadLettered = registry.counter("beckon.webhook.dead.letters");
        registry.gauge("beckon.webhook.dead.letter.size", deadLetterSize);
        registry.gauge("beckon.webhook.in.flight", inFlight, Set::size);
        running = true;
        vertx.setTimer(POLL.toMillis(), id -> poll());
        vertx.setPeriodic(RECLAIM_EVERY.toMillis(), id -> reclaimAbandoned());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private void poll() {
        if (!running) {
            return;
        }
        int room = config.webhook().concurrency() - inFlight.size();
        if (room <= 0) {
            vertx.setTimer(POLL.toMillis(), id -> poll());
            return;
        }
        int perShard = Math.max(1, Math.min(64, room / Shards.COUNT));
        AtomicInteger remaining = new AtomicInteger(Shards.COUNT);
        AtomicInteger taken = new AtomicInteger();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            int s = shard;
            readNew(s, perShard).subscribe().with(count -> {
                taken.addAndGet(count);
                if (remaining.decrementAndGet() == 0) {
                    vertx.setTimer(taken.get() > 0 ? 1 : POLL.toMillis(), id -> poll());
                }
            }, failure -> {
                if (remaining.decrementAndGet() == 0) {
                    vertx.setTimer(POLL.toMillis(), id -> poll());
                }
            });
        }
    }

    /** Takes up to {@code count} new entries of a shard's outbox for this instance; the number taken. */
    private Uni<Integer> readNew(int shard, int count) {
        String key = Shards.webhookOutbox(shard);
        Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer)
                .arg("COUNT").arg(count).arg("STREAMS").arg(key).arg(">");
        return redis.send(read)
                .map(reply -> {
                    if (reply == null) {
                        return 0;
                    }
                    // RESP3 answers a map of stream -> entries, RESP2 a list of [stream, entries]
                    Response entries = reply.size() > 0 && reply.containsKey(key) ? reply.get(key) : reply.get(0).get(1);
                    return start(shard, entries);
                })
                .onFailure(t -> t.getMessage() != null && t.getMessage().contains("NOGROUP"))
                .recoverWithUni(() -> redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(key).arg(GROUP).arg("0"))
                        .map(ok -> 0)
                        .onFailure().recoverWithItem(0));
    }

    private int start(int shard, Response entries) {
        int started = 0;
        if (entries == null) {
            return 0;
        }
        for (Response entry : entries) {
            if (entry == null || entry.size() < 2 || entry.get(1) == null) {
                continue;
            }
            String entryId = entry.get(0).toString();
            Response fields = entry.get(1);
            String event = null, subject = null, type = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (fields.get(i).toString()) {
                    case "e" -> event = fields.get(i + 1).toString();
                    case "u" -> subject = fields.get(i + 1).toString();
                    case "t" -> type = fields.get(i + 1).toString();
                    default -> { }
                }
            }
            if (event != null && inFlight.add(shard + "/" + entryId)) {
                started++;
                Delivery delivery = new Delivery(shard, entryId, event, subject, type);
                prepare(delivery).subscribe().with(this::attempt, failure -> retryLater(delivery, failure.getMessage()));
            }
        }
        return started;
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
            event = (ObjectNode) mapper.readTree(delivery.event);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        delivery.id = event.path("id").asText();
        if (!"invitation.received".equals(delivery.type)) {
            delivery.body = delivery.event;
            return Uni.createFrom().item(delivery);
        }
        return presence.of(delivery.subject).map(state -> {
            ((ObjectNode) event.get("data")).put("online", state.online());
            delivery.body = event.toString();
            return delivery;
        });
    }

    private void attempt(Delivery delivery) {
        if (!running) {
            return;
        }
        delivery.attempts++;
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(config.webhook().timeout())
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("User-Agent", "Beckon-Webhooks")
                .header("webhook-id", delivery.id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.sign(delivery.id, timestamp, delivery.body))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                delivered.increment();
                finish(delivery).subscribe().with(ok -> { }, f -> LOG.debugf("ack: %s", f.getMessage()));
            } else {
                failedAttempts.increment();
                retryLater(delivery, failure != null ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                        : "HTTP " + response.statusCode());
            }
        });
    }

    private void retryLater(Delivery delivery, String error) {
        delivery.lastError = error;
        if (delivery.attempts >= config.webhook().maxAttempts()) {
            deadLetter(delivery);
            return;
        }
        long base = config.webhook().initialBackoff().toMillis() << Math.min(delivery.attempts - 1, 20);
        long delay = (long) (Math.min(base, MAX_BACKOFF.toMillis()) * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        LOG.debugf("Webhook %s attempt %d failed (%s); retrying in %d ms", delivery.id, delivery.attempts, error, delay);
        // touching the entry tells other instances it is still being worked on
        redis.send(Request.cmd(Command.XCLAIM).arg(Shards.webhookOutbox(delivery.shard)).arg(GROUP).arg(consumer)
                .arg(0).arg(delivery.entryId).arg("JUSTID")).subscribe().with(r -> { }, f -> { });
        vertx.setTimer(Math.max(1, delay), id -> prepare(delivery).subscribe().with(this::attempt,
                failure -> retryLater(delivery, failure.getMessage())));
    }

    private void deadLetter(Delivery delivery) {
        deadLettered.increment();
        LOG.warnf("Webhook %s (%s to %s) failed %d times, last: %s; moved to the dead-letter list %s",
                delivery.id, delivery.type, delivery.subject, delivery.attempts, delivery.lastError, DEAD_LETTERS);
        ObjectNode record = mapper.createObjectNode()
                .put("webhookId", delivery.id)
                .put("attempts", delivery.attempts)
                .put("lastError", delivery.lastError)
                .put("failedAt", Instant.now().toString());
        record.put("event", delivery.body != null ? delivery.body : delivery.event);
        redis.sendTogether(List.of(
                        Request.cmd(Command.LPUSH).arg(DEAD_LETTERS).arg(record.toString()),
                        Request.cmd(Command.LTRIM).arg(DEAD_LETTERS).arg(0).arg(DEAD_LETTERS_KEPT - 1),
                        Request.cmd(Command.PEXPIRE).arg(DEAD_LETTERS).arg(DEAD_LETTER_TTL.toMillis())))
                .invoke(replies -> deadLetterSize.set(Math.min(replies.get(0).toLong(), DEAD_LETTERS_KEPT)))
                .chain(() -> finish(delivery))
                .subscribe().with(ok -> { }, f -> LOG.warnf("Could not record dead letter %s: %s", delivery.id, f.getMessage()));
    }

    /** Done with an entry, delivered or dead-lettered: acknowledged and removed from the outbox. */
    private Uni<Void> finish(Delivery delivery) {
        String key = Shards.webhookOutbox(delivery.shard);
        return redis.sendTogether(List.of(Request.cmd(Command.XACK).arg(key).arg(GROUP).arg(delivery.entryId),
                        Request.cmd(Command.XDEL).arg(key).arg(delivery.entryId)))
                .eventually(() -> inFlight.remove(delivery.shard + "/" + delivery.entryId))
                .replaceWithVoid();
    }

    /** Takes over entries whose instance stopped working on them, and refreshes the dead-letter gauge. */
    private void reclaimAbandoned() {
        if (!running) {
            return;
        }
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            int s = shard;
            redis.send(Request.cmd(Command.XAUTOCLAIM).arg(Shards.webhookOutbox(shard)).arg(GROUP).arg(consumer)
                    .arg(ABANDONED_AFTER.toMillis()).arg("0-0").arg("COUNT").arg(64))
                    .subscribe().with(reply -> {
                        if (reply != null && reply.size() > 1) {
                            start(s, reply.get(1));
                        }
                    }, f -> { });
        }
        redis.send(Request.cmd(Command.LLEN).arg(DEAD_LETTERS))
                .subscribe().with(size -> deadLetterSize.set(size.toLong()), f -> { });
    }
}
