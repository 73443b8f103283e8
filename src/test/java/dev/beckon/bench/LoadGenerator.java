package dev.beckon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;

/**
 * Drives call cycles through a {@link Target}: per pair, a caller and a callee each hold an open
 * event stream; a cycle is invite → the callee's stream gets it → accept → the caller's stream
 * gets it. Closed loop (each pair starts its next cycle when one completes) or at a fixed rate
 * spread over the pairs. Latencies are measured from sending the request to the event arriving.
 */
final class LoadGenerator {

    private static final Duration CYCLE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicLong RUNS = new AtomicLong();

    /** What one run measured. */
    record Result(String target, int pairs, String mode, double seconds, long cycles, Latencies received,
            Latencies accepted, long errors, String firstError) {

        double cyclesPerSecond() {
            return cycles / seconds;
        }
    }

    private final class Cycle {
        final int pair;
        final long startedAt = System.nanoTime();
        String invitationId;
        long acceptSentAt;
        boolean received;
        boolean done;

        Cycle(int pair) {
            this.pair = pair;
        }
    }

    private final Vertx vertx;
    private final HttpClient streams;
    private final Target target;
    private final String run = "b" + RUNS.incrementAndGet() + Long.toString(System.nanoTime() % 100_000, 36);
    private final Map<String, Cycle> byInvitation = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedEarly = new ConcurrentHashMap<>();
    private final Map<Cycle, Boolean> open = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Latencies received = new Latencies();
    private final Latencies accepted = new Latencies();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String firstError;
    private volatile boolean measuring;
    private volatile boolean running;
    private final List<HttpClientResponse> responses = new ArrayList<>();

    private Runnable atMeasureStart = () -> { };
    private Runnable atMeasureEnd = () -> { };

    /** Hooks run when the measured window opens and closes (e.g. to read Redis' command counts). */
    void onMeasure(Runnable start, Runnable end) {
        this.atMeasureStart = start;
        this.atMeasureEnd = end;
    }

    LoadGenerator(Vertx vertx, HttpClient streams, Target target) {
        this.vertx = vertx;
        this.streams = streams;
        this.target = target;
    }

    private String caller(int pair) {
        return run + "-a" + pair;
    }

    private String callee(int pair) {
        return run + "-b" + pair;
    }

    Result run(int pairs, Duration warmup, Duration duration, Double fixedRate) throws InterruptedException {
        this.fixedRate = fixedRate != null;
        openStreams(pairs);
        running = true;
        long timer = vertx.setPeriodic(250, id -> expireStuckCycles());
        long rateTimer = -1;
        if (fixedRate == null) {
            for (int pair = 0; pair < pairs; pair++) {
                start(pair);
            }
        } else {
            long begin = System.nanoTime();
            AtomicLong started = new AtomicLong();
            rateTimer = vertx.setPeriodic(1, id -> {
                long due = (long) ((System.nanoTime() - begin) / 1e9 * fixedRate);
                while (started.get() < due) {
                    start((int) (started.getAndIncrement() % pairs));
                }
            });
        }
        Thread.sleep(warmup.toMillis());
        received.clear();
        accepted.clear();
        completed.set(0);
        errors.set(0);
        firstError = null;
        atMeasureStart.run();
        measuring = true;
        long from = System.nanoTime();
        Thread.sleep(duration.toMillis());
        measuring = false;
        double seconds = (System.nanoTime() - from) / 1e9;
        long cycles = completed.get();
        atMeasureEnd.run();
        running = false;
        vertx.cancelTimer(timer);
        if (rateTimer >= 0) {
            vertx.cancelTimer(rateTimer);
        }
        Thread.sleep(300);
        closeStreams();
        String mode = fixedRate == null ? "closed loop" : String.format("%.0f/s", fixedRate);
        return new Result(target.name(), pairs, mode, seconds, cycles, received, accepted, errors.get(), firstError);
    }

    private void openStreams(int pairs) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(pairs * 2);
        for (int pair = 0; pair < pairs; pair++) {
            int p = pair;
            listen(caller(pair), ready, (type, json) -> {
                if (target.acceptedType().equals(type)) {
                    onAccepted(SseParser.invitationId(json), System.nanoTime());
                }
            });
            listen(callee(pair), ready, (type, json) -> {
                if (target.receivedType().equals(type)) {
                    onReceived(SseParser.invitationId(json), System.nanoTime());
                }
            });
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target.name() + ": event streams did not open");
        }
    }

    private void listen(String userId, CountDownLatch ready, java.util.function.BiConsumer<String, String> onEvent) {
        SseParser parser = new SseParser((name, json) -> onEvent.accept(name != null ? name : SseParser.type(json), json));
        EventStreams.open(streams, target.streamPath(userId), target.streamAuthorization(userId), parser, ready, responses)
                .onFailure(failure -> fail("stream: " + failure.getMessage()));
    }

    private void closeStreams() {
        synchronized (responses) {
            for (HttpClientResponse response : responses) {
                response.request().connection().close();
            }
            responses.clear();
        }
    }

    private void start(int pair) {
        if (!running) {
            return;
        }
        Cycle cycle = new Cycle(pair);
        open.put(cycle, Boolean.TRUE);
        String hint = run + "-i" + sequence.incrementAndGet();
        target.invite(caller(pair), callee(pair), hint).onComplete(result -> {
            if (result.failed()) {
                abandon(cycle, "invite: " + result.cause().getMessage());
                return;
            }
            String invitationId = result.result();
            Long early;
            synchronized (cycle) {
                cycle.invitationId = invitationId;
                byInvitation.put(invitationId, cycle);
                early = receivedEarly.remove(invitationId);
            }
            if (early != null) {
                onReceived(invitationId, early);
            }
        });
    }

    private void onReceived(String invitationId, long at) {
        if (invitationId == null) {
            return;
        }
        Cycle cycle = byInvitation.get(invitationId);
        if (cycle == null) {
            // the event beat the invite's HTTP response
            receivedEarly.put(invitationId, at);
            cycle = byInvitation.get(invitationId);
            if (cycle == null || receivedEarly.remove(invitationId) == null) {
                return;
            }
        }
        synchronized (cycle) {
            if (cycle.received || cycle.done) {
                return;
            }
            cycle.received = true;
            cycle.acceptSentAt = System.nanoTime();
        }
        if (measuring) {
            received.add(at - cycle.startedAt);
        }
        Cycle c = cycle;
        target.accept(caller(cycle.pair), callee(cycle.pair), invitationId).onFailure(f -> abandon(c, "accept: " + f.getMessage()));
    }

    private void onAccepted(String invitationId, long at) {
        Cycle cycle = invitationId == null ? null : byInvitation.remove(invitationId);
        if (cycle == null) {
            return;
        }
        synchronized (cycle) {
            if (cycle.done || !cycle.received) {
                return;
            }
            cycle.done = true;
        }
        open.remove(cycle);
        if (measuring) {
            accepted.add(at - cycle.acceptSentAt);
            completed.incrementAndGet();
        }
        if (running && !isFixedRate()) {
            start(cycle.pair);
        }
    }

    private volatile boolean fixedRate;

    private boolean isFixedRate() {
        return fixedRate;
    }

    private void abandon(Cycle cycle, String why) {
        synchronized (cycle) {
            if (cycle.done) {
                return;
            }
            cycle.done = true;
        }
        open.remove(cycle);
        if (cycle.invitationId != null) {
            byInvitation.remove(cycle.invitationId);
        }
        fail(why);
        if (running && !isFixedRate()) {
            start(cycle.pair);
        }
    }

    private void fail(String why) {
        if (measuring) {
            errors.incrementAndGet();
            if (firstError == null) {
                firstError = why;
            }
        }
    }

    private void expireStuckCycles() {
        long limit = System.nanoTime() - CYCLE_TIMEOUT.toNanos();
        for (Cycle cycle : open.keySet()) {
            if (cycle.startedAt < limit) {
                abandon(cycle, "no event within " + CYCLE_TIMEOUT.toSeconds() + " s");
            }
        }
    }
}
