package dev.beckon.push;

import static dev.beckon.support.Api.call;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.beckon.device.Devices;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A push service that fails, under a steady stream of calls: the functions answer as fast as when
 * it works, and nothing is pushed for an invitation after it ended. For {@link #RUN}, every
 * {@link #EVERY} three calls are placed, each to an invitee of its own whose browser's push
 * service answers at once (the baseline), hangs (accepts and never answers), or answers 500 (Beckon
 * retries while the call rings); each call is canceled {@link #RINGS_FOR} after it was placed.
 * The three kinds take turns rather than run one after the other, so each sees the same load on a
 * shared machine, and the comparison of their p99 holds however busy it is.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class PushFailureRunTest {

    private static final Duration RUN = Duration.ofSeconds(45);
    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration RINGS_FOR = Duration.ofSeconds(3);
    /** How long after its cancel answered a push started before (a retry) may still reach the push service on a busy machine. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(1);
    /** The push timeout (beckon.push.timeout): what a function would wait, were a hanging push on its path. */
    private static final long PUSH_TIMEOUT_MS = 10_000;

    private enum Mode { ANSWERS, HANGS, ERRORS }

    private static Vertx vertx;
    private static HttpServer pushService;
    /** Arrival times of pushes (ms since the epoch), by invitee. */
    private static final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    /** The invitation of each invitee, for the messages. */
    private static final Map<String, String> invitations = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPushService() {
        vertx = Vertx.vertx();
        pushService = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
            // /push/<mode>/<invitee>
            String[] path = request.path().split("/");
            arrivals.computeIfAbsent(path[3], who -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
            request.body().onSuccess(body -> {
                switch (Mode.valueOf(path[2])) {
                    case ANSWERS -> request.response().setStatusCode(201).end();
                    case ERRORS -> request.response().setStatusCode(500).end("overloaded");
                    case HANGS -> { } // never answers: the connection stays open until Beckon gives up
                }
            });
        }).listen().toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stopPushService() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What the calls of one kind measured. */
    private record Calls(List<Long> createMs, List<Long> cancelMs, Map<String, Long> endingAt, Map<String, Long> endedAt,
            List<String> invitees, List<String> failed) {
        Calls() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                    new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        /** The invitees whose call was placed and canceled (on a machine overloaded by others, Redis may time out a call: 503). */
        List<String> completed() {
            return invitees.stream().filter(endedAt::containsKey).toList();
        }

        static long p99(List<Long> samples) {
            List<Long> sorted = new ArrayList<>(samples);
            Collections.sort(sorted);
            return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        }
    }

    @Test
    void aHangingOrFailingPushServiceDelaysNoFunctionAndNothingIsPushedAfterACallEnded() throws Exception {
        run(WARM_UP); // the first calls after start-up are slower: measured by no one
        Map<Mode, Calls> calls = run(RUN);
        Calls answers = calls.get(Mode.ANSWERS), hangs = calls.get(Mode.HANGS), errors = calls.get(Mode.ERRORS);

        long baseCreate = Calls.p99(answers.createMs()), baseCancel = Calls.p99(answers.cancelMs());
        System.out.printf("push failure run, %d calls of each kind in %d s, p99 createConference / cancel: push service answers"
                + " %d / %d ms; hangs %d / %d ms; answers 500 %d / %d ms; calls failed (answers, hangs, 500): %d, %d, %d;"
                + " calls that rang: %d, %d, %d%n",
                answers.createMs().size(), RUN.toSeconds(), baseCreate, baseCancel, Calls.p99(hangs.createMs()),
                Calls.p99(hangs.cancelMs()), Calls.p99(errors.createMs()), Calls.p99(errors.cancelMs()), answers.failed().size(),
                hangs.failed().size(), errors.failed().size(), rang(answers), rang(hangs), rang(errors));
        for (Calls kind : calls.values()) {
            assertTrue(kind.failed().size() <= kind.invitees().size() / 20, "calls failed: " + kind.failed());
        }

        // pushes are off the functions' path: one that waited for a hanging push would take the push timeout
        for (Calls failing : List.of(hangs, errors)) {
            for (List<Long> samples : List.of(failing.createMs(), failing.cancelMs())) {
                long p99 = Calls.p99(samples), base = samples == failing.createMs() ? baseCreate : baseCancel;
                assertTrue(p99 < PUSH_TIMEOUT_MS && p99 <= 2 * base + 500, "p99 " + p99 + " ms against " + base + " ms while pushes work");
            }
        }

        // the calls rang their invitees' browsers (a ring read from the outbox after its call ended does not ring), and
        // every browser that rang got its call's end (a hanging ring's end waits for the ring's attempt to time out)
        for (Map.Entry<Mode, Calls> each : calls.entrySet()) {
            Calls kind = each.getValue();
            List<String> rung = kind.completed().stream().filter(arrivals::containsKey).toList();
            assertTrue(rung.size() >= kind.completed().size() / 2, rung.size() + " of " + kind.completed().size() + " calls rang");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of(),
                    rung.stream().filter(who -> pushedSince(kind.endingAt(), who, 0) < 1)
                            .map(who -> who + " (invitation " + invitations.get(who) + ", canceled at " + kind.endingAt().get(who)
                                    + ", pushes at " + arrivals.get(who) + ")")
                            .toList(),
                    "browsers rung whose call's end never reached them, push service " + each.getKey()));
        }
        List<String> rungWithErrors = errors.completed().stream().filter(arrivals::containsKey).toList();
        long errorPushes = rungWithErrors.stream().mapToLong(who -> arrivals.get(who).size()).sum();
        assertTrue(errorPushes > 2L * rungWithErrors.size(), "a failing push is retried while the call rings (" + errorPushes
                + " pushes, ring and end included, to " + rungWithErrors.size() + " browsers)");

        // after its end, an invitation's browser gets that end and nothing more: no ring, no retry
        Thread.sleep(8_000); // the longest a retry due after 3 s of failures waits
        for (Calls kind : calls.values()) {
            for (String invitee : kind.completed()) {
                assertTrue(pushedSince(kind.endedAt(), invitee, IN_FLIGHT_GRACE.toMillis()) <= 1, "pushes to " + invitee
                        + " (invitation " + invitations.get(invitee) + ")"
                        + " after the call ended at " + kind.endedAt().get(invitee) + ": " + arrivals.get(invitee));
            }
        }
    }

    private static long rang(Calls kind) {
        return kind.invitees().stream().filter(arrivals::containsKey).count();
    }

    /** Pushes to {@code invitee} that arrived more than {@code graceMs} after the moment recorded for them in {@code moments}. */
    private static long pushedSince(Map<String, Long> moments, String invitee, long graceMs) {
        long since = moments.get(invitee);
        return arrivals.getOrDefault(invitee, List.of()).stream().filter(at -> at > since + graceMs).count();
    }

    private Map<Mode, Calls> run(Duration duration) throws Exception {
        String alice = unique("alice");
        Map<Mode, Calls> calls = new java.util.EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            calls.put(mode, new Calls());
        }
        int ticks = (int) (duration.toMillis() / EVERY.toMillis());
        ScheduledExecutorService callers = Executors.newScheduledThreadPool(12);
        try {
            for (int i = 0; i < ticks; i++) {
                for (Mode mode : Mode.values()) {
                    Calls kind = calls.get(mode);
                    callers.schedule(() -> {
                        String bob = unique("bob");
                        try {
                            registerBrowser(bob, mode);
                            kind.invitees().add(bob);
                            long started = System.nanoTime();
                            String invitationId = invitationOf(conference(alice, bob), bob);
                            invitations.put(bob, invitationId);
                            kind.createMs().add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                            callers.schedule(() -> {
                                try {
                                    kind.endingAt().put(bob, System.currentTimeMillis());
                                    long canceling = System.nanoTime();
                                    cancel(alice, invitationId).then().statusCode(200);
                                    kind.cancelMs().add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - canceling));
                                    kind.endedAt().put(bob, System.currentTimeMillis());
                                } catch (RuntimeException | AssertionError e) {
                                    kind.failed().add(bob + ": " + e.getMessage());
                                }
                            }, RINGS_FOR.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (RuntimeException | AssertionError e) {
                            kind.failed().add(bob + ": " + e.getMessage());
                        }
                    }, i * EVERY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            await().atMost(duration.plus(RINGS_FOR).plusSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> calls.values().stream().allMatch(kind -> kind.endedAt().size() + kind.failed().size() == ticks));
        } finally {
            callers.shutdownNow();
        }
        return calls;
    }

    private static void registerBrowser(String userId, Mode mode) {
        call(Tokens.user(userId), "registerDevice", Devices.webPush(Devices.subscription(
                "http://127.0.0.1:" + pushService.actualPort() + "/push/" + mode + "/" + userId))).then().statusCode(200);
    }

}
