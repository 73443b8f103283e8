package dev.beckon.expiry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import dev.beckon.metrics.BeckonMetrics;
import dev.beckon.store.ConferenceStore;
import dev.beckon.store.Shards;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;

/**
 * Turns ringing invitations past their deadline into missed calls. Deadlines live in Redis, so a
 * restarted or second instance picks up where another left off, and the expire script expires
 * each invitation exactly once however many sweepers run. Runs with the gateway role.
 * <p>
 * An idle sweeper costs next to nothing: each sweep of a shard reports the shard's earliest
 * deadline and the sweeper sleeps until the earliest of them. A new invitation due before every
 * deadline already in its shard is news to the sweepers, and the invite script announces it on
 * {@link #CHANNEL} (see {@link ExpiryWakeUps}). Every {@link #SAFETY_SWEEP} all shards are swept
 * anyway, and while the wake-up channel is down they are swept every {@link #WITHOUT_WAKE_UPS}.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    /** The wake-up channel; scripts/lib/invitations.lua publishes "<shard> <deadline ms>" on it. */
    public static final String CHANNEL = "bk:expiry";
    static final int BATCH = 200;
    static final Duration SAFETY_SWEEP = Duration.ofSeconds(30);
    static final Duration WITHOUT_WAKE_UPS = Duration.ofMillis(500);
    /** Under load, deadlines come one after another: sweeps are at least this far apart. */
    static final Duration MIN_GAP = Duration.ofMillis(100);
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final long NONE = Long.MAX_VALUE;
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    @Inject
    ConferenceStore store;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    BeckonMetrics metrics;

    @Inject
    ExpiryWakeUps wakeUps;

    /** Per shard, its earliest known deadline on the Redis clock (ms), NONE when nothing is due. */
    private final long[] due = new long[Shards.COUNT];
    /** Per shard being swept, the earliest deadline announced meanwhile (the sweep may not have seen it). */
    private final long[] announcedDuringSweep = new long[Shards.COUNT];
    private final boolean[] sweeping = new boolean[Shards.COUNT];
    private boolean running;
    private boolean inFlight;
    private boolean listening;
    private boolean sweepAll = true;
    /** Redis clock minus this machine's clock (ms), as of the latest sweep. */
    private long clockOffset;
    private long lastFullSweep;
    private long lastSweep;
    private long timer = -1;
    private long timerAt = NONE;
    /** Completes when no sweep is under way: a stop waits for it, so no sweep touches Redis once it is closed. */
    private volatile CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    void start(@Observes StartupEvent event) {
        if (!config.role().runsGateway()) {
            return;
        }
        synchronized (this) {
            running = true;
            Arrays.fill(due, NONE);
            Arrays.fill(announcedDuringSweep, NONE);
        }
        wakeUps.start(this);
        schedule();
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            running = false;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        wakeUps.stop();
        try {
            idle.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Stopping while an expiry sweep is still under way: %s", e.getMessage());
        }
    }

    /** An invitation of {@code shard} is due at {@code deadline} (Redis clock, ms). */
    synchronized void wake(int shard, long deadline) {
        if (shard < 0 || shard >= Shards.COUNT) {
            return;
        }
        due[shard] = Math.min(due[shard], deadline);
        if (sweeping[shard]) {
            announcedDuringSweep[shard] = Math.min(announcedDuringSweep[shard], deadline);
        }
        schedule();
    }

    /** Wake-ups flow (again): sweep everything once, since some may have been missed. */
    synchronized void listening() {
        listening = true;
        sweepAll = true;
        schedule();
    }

    /** Wake-ups may be missed until {@link #listening()}: poll meanwhile, starting with a full sweep. */
    synchronized void deaf() {
        listening = false;
        sweepAll = true;
        schedule();
    }

    /** Arms the timer for the next sweep (no-op while one runs: its end schedules the next). */
    private synchronized void schedule() {
        if (!running || inFlight) {
            return;
        }
        long now = System.currentTimeMillis();
        long at;
        if (sweepAll) {
            at = now;
        } else {
            at = lastFullSweep + (listening ? SAFETY_SWEEP : WITHOUT_WAKE_UPS).toMillis();
            for (long deadline : due) {
                if (deadline != NONE) {
                    at = Math.min(at, deadline - clockOffset + 1);
                }
            }
        }
        at = Math.max(at, lastSweep + MIN_GAP.toMillis());
        if (timer >= 0) {
            if (timerAt <= at) {
                return;
            }
            vertx.cancelTimer(timer);
        }
        timerAt = at;
        timer = vertx.setTimer(Math.max(1, at - now), id -> sweep());
    }

    private void sweep() {
        List<Integer> shards = new ArrayList<>();
        boolean full;
        synchronized (this) {
            timer = -1;
            timerAt = NONE;
            if (!running || inFlight) {
                return;
            }
            long now = System.currentTimeMillis();
            full = sweepAll || now - lastFullSweep >= (listening ? SAFETY_SWEEP : WITHOUT_WAKE_UPS).toMillis();
            long redisNow = now + clockOffset;
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                if (full || due[shard] <= redisNow) {
                    shards.add(shard);
                    sweeping[shard] = true;
                    announcedDuringSweep[shard] = NONE;
                }
            }
            if (full) {
                sweepAll = false;
                lastFullSweep = now;
            }
            lastSweep = now;
            inFlight = true;
            idle = new CompletableFuture<>();
        }
        Multi.createFrom().iterable(shards)
                .onItem().transformToUniAndMerge(shard -> store.expireDue(shard, BATCH)
                        .map(result -> {
                            swept(shard, result);
                            return result;
                        })
                        .onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Expiry sweep of shard %d failed: %s", shard, failure.getMessage());
                            failed(shard);
                            return null;
                        }))
                .collect().last()
                .subscribe().with(last -> finished(), failure -> finished());
    }

    private synchronized void swept(int shard, ConferenceStore.Expired result) {
        clockOffset = result.redisNow() - System.currentTimeMillis();
        long next = result.count() >= BATCH ? result.redisNow() : result.nextDeadline() == null ? NONE : result.nextDeadline();
        due[shard] = Math.min(next, announcedDuringSweep[shard]);
        sweeping[shard] = false;
        if (result.count() > 0) {
            metrics.expiredLate(Duration.ofMillis(result.lagMs()));
        }
    }

    private synchronized void failed(int shard) {
        due[shard] = Math.min(announcedDuringSweep[shard], System.currentTimeMillis() + clockOffset + RETRY.toMillis());
        sweeping[shard] = false;
    }

    private synchronized void finished() {
        inFlight = false;
        idle.complete(null);
        schedule();
    }
}
