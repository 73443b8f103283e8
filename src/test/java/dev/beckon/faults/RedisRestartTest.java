package dev.beckon.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.restassured.RestAssured.given;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.beckon.support.AsyncApi;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Pause;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Redis restarts (keeping its data, as a persistent Redis does) while calls keep coming: during
 * the outage calls answer 503 unavailable, readiness reports it, everything recovers by itself,
 * the gateway resubscribes, and no invitation ends in two terminal states or with a terminal
 * event missing or doubled.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class RedisRestartTest {


    @Test
    void anOutageIs503AndNothingIsLostOrDoubledAfterIt() throws Exception {
        String run = "rr" + System.nanoTime() % 100_000;
        String alice = run + "-alice";
        String aliceToken = Tokens.user(alice);
        AsyncApi api = new AsyncApi(16);
        List<String[]> invitations = new CopyOnWriteArrayList<>(); // {invitationId, callee}
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();

        try (SseClient alicePhone = SseClient.connect(aliceToken)) {
            // traffic: ring someone, then accept or cancel, over and over, through the outage
            Thread traffic = new Thread(() -> {
                while (running.get()) {
                    int n = sequence.incrementAndGet();
                    String callee = run + "-b" + n;
                    HttpResponse<String> created = api.post(aliceToken, "createConference",
                            "{\"participants\":[{\"userId\":\"" + callee + "\"}]}").join();
                    count(statuses, created.statusCode());
                    if (created.statusCode() != 200) {
                        Pause.sleep(20);
                        continue;
                    }
                    String invitationId = AsyncApi.firstInvitationId(created.body());
                    invitations.add(new String[] { invitationId, callee });
                    HttpResponse<String> ended = n % 2 == 0
                            ? api.post(Tokens.user(callee), "respond", "{\"invitationId\":\"" + invitationId + "\",\"action\":\"accept\"}").join()
                            : api.post(aliceToken, "cancel", "{\"invitationId\":\"" + invitationId + "\"}").join();
                    count(statuses, ended.statusCode());
                }
            });
            traffic.start();
            Pause.sleep(1_000);

            Thread outage = new Thread(() -> BackingServices.redis().restartKeepingData(Duration.ofSeconds(2)));
            outage.start();
            // while Redis is down: readiness says so and calls are 503 unavailable, with the contract's JSON
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !BackingServices.redis().isRunning());
            given().when().get("/q/health/ready").then().statusCode(503);
            given().auth().oauth2(aliceToken).contentType("application/json").body("{}")
                    .when().post("/createConference")
                    .then().statusCode(503).body("error", org.hamcrest.Matchers.is("unavailable"));
            outage.join();

            // back by itself
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    given().when().get("/q/health/ready").then().statusCode(200));
            int before = statuses.getOrDefault(200, new AtomicInteger()).get();
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> statuses.getOrDefault(200, new AtomicInteger()).get() > before + 20);
            running.set(false);
            traffic.join();

            // the gateway resubscribed: a new call reaches alice's open stream
            String last = run + "-last";
            HttpResponse<String> created = api.post(Tokens.user(last), "createConference",
                    "{\"participants\":[{\"userId\":\"" + alice + "\"}]}").join();
            assertEquals(200, created.statusCode(), created.body());
            alicePhone.await("invitation.received", AsyncApi.firstInvitationId(created.body()));
        }

        assertTrue(statuses.getOrDefault(503, new AtomicInteger()).get() > 0, "the outage was felt: " + statuses);
        assertEquals(Map.of(), unexpected(statuses), "only 200, 409 and 503 answers: " + statuses);

        // every invitation that was created ends once, both parties holding that one terminal event
        List<String[]> pairs = new ArrayList<>();
        for (String[] invitation : invitations) {
            pairs.add(new String[] { alice, invitation[0] });
            pairs.add(new String[] { invitation[1], invitation[0] });
        }
        List<List<String>> events = RedisInspector.eventTypes(pairs);
        for (int i = 0; i < invitations.size(); i++) {
            String invitationId = invitations.get(i)[0];
            List<String> callerEnds = terminal(events.get(2 * i));
            List<String> calleeEnds = terminal(events.get(2 * i + 1));
            assertTrue(callerEnds.size() <= 1, invitationId + " " + callerEnds);
            assertEquals(callerEnds, calleeEnds, invitationId);
            if (callerEnds.isEmpty()) {
                // its accept or cancel was lost to the outage: it still rings, and ends normally now
                int status = given().auth().oauth2(Tokens.user(alice)).contentType("application/json")
                        .body("{\"invitationId\":\"" + invitationId + "\"}").when().post("/cancel").statusCode();
                assertEquals(200, status, invitationId);
            }
        }
        System.out.println("Redis restart: " + invitations.size() + " invitations, answers " + statuses);
    }

    private static Map<Integer, AtomicInteger> unexpected(Map<Integer, AtomicInteger> statuses) {
        Map<Integer, AtomicInteger> other = new ConcurrentHashMap<>(statuses);
        other.keySet().removeAll(List.of(200, 409, 503));
        return other;
    }

    private static List<String> terminal(List<String> types) {
        return types.stream().filter(t -> t.equals("invitation.accepted") || t.equals("invitation.declined")
                || t.equals("invitation.canceled") || t.equals("invitation.expired")).toList();
    }

    private static void count(Map<Integer, AtomicInteger> statuses, int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }
}
