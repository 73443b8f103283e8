package dev.beckon.expiry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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
import io.vertx.mutiny.core.Vertx;

/**
 * Turns ringing invitations past their deadline into missed calls. Every few hundred
 * milliseconds it runs the expire script on each shard; deadlines live in Redis, so a restarted
 * or second instance picks up where another left off, and the script expires each invitation
 * exactly once however many sweepers run. Runs with the gateway role.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    static final Duration INTERVAL = Duration.ofMillis(250);
    static final int BATCH = 200;
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    @Inject
    ConferenceStore store;

    @Inject
    Vertx vertx;

    @Inject
    BeckonConfig config;

    @Inject
    BeckonMetrics metrics;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;
    /** Completes when no sweep is under way: a stop waits for it, so no sweep touches Redis once it is closed. */
    private volatile CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    void start(@Observes StartupEvent event) {
        if (config.role().runsGateway()) {
            running.set(true);
            schedule(INTERVAL);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        vertx.cancelTimer(timer);
        try {
            idle.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Stopping while an expiry sweep is still under way: %s", e.getMessage());
        }
    }

    private void schedule(Duration delay) {
        if (running.get()) {
            timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> sweep());
        }
    }

    private void sweep() {
        if (!running.get()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        idle = done;
        Multi.createFrom().range(0, Shards.COUNT)
                .onItem().transformToUniAndMerge(shard -> store.expireDue(shard, BATCH)
                        .onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Expiry sweep of shard %d failed: %s", shard, failure.getMessage());
                            return new ConferenceStore.Expired(0, null, 0);
                        }))
                .collect().asList()
                .subscribe().with(results -> {
                    results.stream().filter(r -> r.count() > 0)
                            .forEach(r -> metrics.expiredLate(Duration.ofMillis(r.lagMs())));
                    boolean backlog = results.stream().anyMatch(r -> r.count() >= BATCH);
                    done.complete(null);
                    schedule(backlog ? Duration.ZERO : INTERVAL);
                }, failure -> {
                    done.complete(null);
                    schedule(INTERVAL);
                });
    }
}
