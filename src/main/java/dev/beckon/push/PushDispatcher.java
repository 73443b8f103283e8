package dev.beckon.push;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.config.BeckonConfig;
import dev.beckon.device.DeviceStore;
import dev.beckon.redis.RedisTopology;
import dev.beckon.store.InvitationStates;
import dev.beckon.store.Shards;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * Rings the invitee's devices. The state scripts queue, in the same atomic step as the change,
 * each {@code invitation.received} and each end of an invitation addressed to its invitee in a
 * push outbox per shard ({@link PushOutbox}); gateway instances read it through a consumer
 * group, so each event is handled by one instance, off the functions' path and off the event
 * streams (their own Redis connections, pushes on Vert.x' non-blocking HTTP client).
 * <ul>
 * <li>{@code invitation.received}: if the invitation still rings when the entry is read, every
 * live device of the invitee is pushed the CloudEvent, and the devices rung are remembered beside the user's devices until a minute past the
 * invitation's expiry ({@link DeviceStore#recordPushed}).
 * <li>{@code invitation.accepted/declined/canceled/expired}: the devices remembered for that
 * invitation (those still registered) get the event once, so they stop ringing; then the record goes.
 * When the ring's first attempt to a device is still under way on this instance, the end waits
 * for its answer, so the device does not get the end before the ring.
 * <li>A device its push service calls gone is forgotten at once
 * ({@link DeviceStore#forget}, counted as {@link ForgetReason#gone}).
 * <li>A push answered "retry" (rate limited, unavailable, timed out) is tried again with
 * exponential backoff and jitter, never before the service's {@code Retry-After}; before each
 * retry the invitation's state is read, and the retry is dropped once it no longer rings or
 * would ring no more by then. An end event is not retried: the invitation no longer rings.
 * <li>An entry stays pending in the group until every push of it is done, retries included.
 * An instance that dies (or stops) leaves its entries pending; another instance takes them over
 * once they were left untouched for {@code beckon.push.takeover-after} ({@link PushOutbox}).
 * </ul>
 * At most {@code beckon.push.concurrency} pushes (attempts and waiting retries) are under way
 * per instance ({@code beckon_push_in_flight}); with no room left the readers wait. One entry may
 * exceed the bound by its user's devices (at most {@link DeviceStore#MAX_PER_USER}).
 */
@ApplicationScoped
public class PushDispatcher {

    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long a read waits for a new entry before it asks again. */
    static final Duration IDLE_WAIT = Duration.ofSeconds(5);
    /** How long past its expiry the devices rung for an invitation are remembered. */
    static final Duration PUSHED_MARGIN = Duration.ofMinutes(1);
    private static final String RECEIVED = "invitation.received";

    @Inject
    Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    RedisTopology topology;

    @Inject
    PushService push;

    @Inject
    DeviceStore devices;

    @Inject
    InvitationStates invitations;

    @Inject
    ObjectMapper mapper;

    @Inject
    PushRedisClient clients;

    @Inject
    MeterRegistry registry;

    private final List<PushOutbox> readers = new ArrayList<>();
    /** The reader of each shard, which finishes that shard's entries. */
    private final PushOutbox[] byShard = new PushOutbox[Shards.COUNT];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    /**
     * The first attempts of rings under way, by invitation and device: the end of a call waits
     * for its ring's attempt on this instance, so a device does not get the end before the ring.
     * Bounded by the pushes in flight.
     */
    private final Map<String, CompletableFuture<Void>> firstAttempts = new ConcurrentHashMap<>();
    private int limit;
    private volatile boolean running;
    private Redis client;

    void start(@Observes StartupEvent event) {
        if (!config.role().runsGateway() || !push.enabled()) {
            return;
        }
        limit = Math.max(1, config.push().concurrency());
        Gauge.builder("beckon.push.in.flight", inFlight, AtomicInteger::get)
                .description("Device pushes under way on this instance, attempts and waiting retries").register(registry);
        client = clients.create(vertx);
        running = true;
        String consumer = UUID.randomUUID().toString();
        Duration streamTtl = config.conferenceTtl().plus(config.retention());
        PushOutbox.Sink sink = new PushOutbox.Sink() {
            @Override
            public int room() {
                return Math.max(0, limit - inFlight.get());
            }

            @Override
            public void whenRoom(Runnable then) {
                PushDispatcher.this.whenRoom(then);
            }

            @Override
            public Uni<Void> take(PushOutbox.Entry entry) {
                return PushDispatcher.this.take(entry);
            }
        };
        for (int[] shards : readerShards(topology.clustered())) {
            PushOutbox reader = new PushOutbox(vertx, client, shards, consumer, IDLE_WAIT, config.redis().timeout(), streamTtl,
                    config.push().takeoverAfter(), sink);
            readers.add(reader);
            for (int shard : shards) {
                byShard[shard] = reader;
            }
        }
        readers.forEach(PushOutbox::start);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        readers.forEach(PushOutbox::stop);
        client.close();
    }

    /** All shards in one read against a single Redis; one reader per shard on a cluster. */
    private static List<int[]> readerShards(boolean clustered) {
        List<int[]> groups = new ArrayList<>();
        if (!clustered) {
            int[] all = new int[Shards.COUNT];
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                all[shard] = shard;
            }
            groups.add(all);
        } else {
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                groups.add(new int[] { shard });
            }
        }
        return groups;
    }

    /**
     * One outbox entry being worked on: what every push of it carries, and how many of its
     * pushes are not done. The taking holds one count until every push is started; when the
     * count drops to nothing the entry is finished (acknowledged and deleted; for an end, the
     * record of the devices rung goes too).
     */
    private final class Job {
        final PushOutbox.Entry entry;
        final String userId;
        final PushMessage message;
        private final AtomicInteger open = new AtomicInteger(1);

        Job(PushOutbox.Entry entry, PushMessage message) {
            this.entry = entry;
            this.userId = entry.subject();
            this.message = message;
        }

        void opened() {
            open.incrementAndGet();
        }

        /** The last close finishes the entry, unless this instance is stopping: then another takes it over. */
        void closed() {
            if (open.decrementAndGet() == 0 && running) {
                if (!RECEIVED.equals(entry.type())) {
                    devices.forgetPushed(userId, entry.invitationId()).subscribe().with(ok -> { },
                            failure -> LOG.debugf("Forgetting the devices rung for %s failed: %s", entry.invitationId(), failure.getMessage()));
                }
                byShard[entry.shard()].finish(entry);
            }
        }
    }

    /**
     * Takes on an entry. A ring is pushed only while the invitation still rings: the outbox may
     * be read late (a busy instance, an entry taken over from one that died) and its end pushed
     * meanwhile. An end is pushed to the devices recorded as rung, whoever rang them.
     */
    private Uni<Void> take(PushOutbox.Entry entry) {
        Job job;
        try {
            job = job(entry);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        Uni<Void> started;
        if (RECEIVED.equals(entry.type())) {
            started = devices.targets(job.userId).chain(targets -> targets.isEmpty() ? Uni.createFrom().voidItem()
                    : invitations.ringing(entry.invitationId(), System.currentTimeMillis()).chain(rings -> {
                        if (!rings) {
                            return Uni.createFrom().voidItem();
                        }
                        List<String> ids = targets.stream().map(dev.beckon.device.PushTarget::deviceId).toList();
                        Duration keep = Duration.between(Instant.now(), job.message.expiresAt()).plus(PUSHED_MARGIN);
                        return devices.recordPushed(job.userId, entry.invitationId(), ids, keep)
                                .invoke(() -> targets.forEach(target -> start(job, target, true)));
                    }));
        } else {
            started = devices.pushed(job.userId, entry.invitationId()).chain(ids -> {
                if (ids.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                Set<String> rung = new HashSet<>(ids);
                return devices.targets(job.userId).invoke(targets -> targets.stream()
                        .filter(target -> rung.contains(target.deviceId()))
                        .forEach(target -> start(job, target, false))).replaceWithVoid();
            });
        }
        return started.invoke(job::closed);
    }

    private Job job(PushOutbox.Entry entry) throws Exception {
        JsonNode data = mapper.readTree(entry.event()).path("data");
        JsonNode from = data.path("from");
        String callerName = from.hasNonNull("name") ? from.get("name").asText() : from.path("userId").asText(null);
        Instant expiresAt = Instant.parse(data.path("expiresAt").asText());
        return new Job(entry, new PushMessage(entry.event(), entry.type(), entry.invitationId(), expiresAt, callerName));
    }

    /** Starts pushing to one device; retries only while the invitation rings ({@code retry}). */
    private void start(Job job, dev.beckon.device.PushTarget device, boolean retry) {
        Platform platform = Platform.named(device.platform()).orElse(null);
        if (platform == null) {
            return;
        }
        PushTarget target = new PushTarget(platform, device.endpoint(), device.p256dh(), device.auth(), device.token(), device.voip());
        inFlight.incrementAndGet();
        job.opened();
        String key = job.message.invitationId() + " " + device.deviceId();
        if (retry) {
            CompletableFuture<Void> first = new CompletableFuture<>();
            firstAttempts.put(key, first);
            attempt(job, device.deviceId(), target, true, 0, () -> {
                firstAttempts.remove(key, first);
                first.complete(null);
            });
            return;
        }
        CompletableFuture<Void> ring = firstAttempts.get(key);
        if (ring == null) {
            attempt(job, device.deviceId(), target, false, 0, () -> { });
        } else {
            ring.whenComplete((ok, failure) -> attempt(job, device.deviceId(), target, false, 0, () -> { }));
        }
    }

    private void attempt(Job job, String deviceId, PushTarget target, boolean retry, int failures, Runnable answered) {
        if (!running) {
            answered.run();
            release(job);
            return;
        }
        push.send(target, job.message).subscribe().with(outcome -> {
            answered.run();
            if (outcome instanceof PushOutcome.Gone) {
                forget(job, deviceId, target.platform());
            } else if (outcome instanceof PushOutcome.Retry later && retry) {
                retryLater(job, deviceId, target, failures + 1, later);
            } else {
                release(job);
            }
        }, failure -> {
            answered.run();
            LOG.debugf("push to %s failed: %s", deviceId, failure.getMessage());
            release(job);
        });
    }

    private void forget(Job job, String deviceId, Platform platform) {
        devices.forget(job.userId, deviceId).subscribe().with(forgotten -> {
            if (forgotten) {
                push.forgotten(platform, ForgetReason.gone);
            }
            release(job);
        }, failure -> {
            LOG.debugf("Forgetting device %s failed: %s", deviceId, failure.getMessage());
            release(job);
        });
    }

    private void retryLater(Job job, String deviceId, PushTarget target, int failures, PushOutcome.Retry outcome) {
        Duration delay = delayAfter(failures, outcome.retryAfter().orElse(Duration.ZERO));
        if (!running || Instant.now().plus(delay).isAfter(job.message.expiresAt())) {
            release(job);
            return;
        }
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> invitations.ringing(job.message.invitationId(), System.currentTimeMillis())
                .subscribe().with(ringing -> {
                    if (ringing) {
                        attempt(job, deviceId, target, true, failures, () -> { });
                    } else {
                        release(job);
                    }
                }, failure -> release(job)));
    }

    /** Exponential from {@link #FIRST_BACKOFF} up to {@link #MAX_BACKOFF}, with jitter (half to all of it), never before {@code retryAfter}. */
    static Duration delayAfter(int failures, Duration retryAfter) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(jittered, retryAfter.toMillis()));
    }

    private void whenRoom(Runnable then) {
        synchronized (waiting) {
            if (inFlight.get() >= limit) {
                waiting.add(then);
                return;
            }
        }
        then.run();
    }

    /** One push is done: room for another, and one less for its entry. */
    private void release(Job job) {
        inFlight.decrementAndGet();
        job.closed();
        Runnable next;
        synchronized (waiting) {
            next = inFlight.get() < limit ? waiting.poll() : null;
        }
        if (next != null) {
            next.run();
        }
    }
}
