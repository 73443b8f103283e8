package dev.beckon.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.support.AsyncApi;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 10,000 invitations, each raced by an accept, a decline and a cancel sent at the same moment
 * around its deadline, while the sweeper expires what is due: each ends in exactly one terminal
 * state, at most one call wins, and both parties' streams hold exactly one terminal event, the
 * winner's.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class TerminalRaceTest {

    private static final int INVITATIONS = Integer.getInteger("race.invitations", 10_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> WINNER_STATE = Map.of("accept", "ACCEPTED", "decline", "DECLINED", "cancel", "CANCELED");

    private record Raced(String caller, String callee, String invitationId, Instant deadline,
            Map<String, CompletableFuture<HttpResponse<String>>> calls) {
    }

    /** 100 callers and 100 callees (a token each), so that signing tokens does not dominate the test. */
    private static final int USERS = 100;
    private static final int CREATED_PER_SECOND = 400;

    @Test
    void everyInvitationEndsOnceWithOnlyTheWinnersEvents() throws Exception {
        AsyncApi api = new AsyncApi(64);
        // the race calls have their own client and threads: a backlog of creations must not delay them
        AsyncApi racers = new AsyncApi(1024);
        ScheduledExecutorService starter = Executors.newScheduledThreadPool(2);
        String run = "race" + System.nanoTime() % 100_000;
        Map<String, String> tokens = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            tokens.put(run + "a" + u, Tokens.user(run + "a" + u));
            tokens.put(run + "b" + u, Tokens.user(run + "b" + u));
        }
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
        List<CompletableFuture<HttpResponse<String>>> creations = new ArrayList<>();
        for (int i = 0; i < INVITATIONS; i++) {
            String caller = run + "a" + (i % USERS), callee = run + "b" + (i / USERS);
            CompletableFuture<HttpResponse<String>> created = new CompletableFuture<>();
            clock.schedule(() -> api.post(tokens.get(caller), "createConference",
                    "{\"settings\":{\"ringTimeoutSeconds\":25},\"participants\":[{\"userId\":\"" + callee + "\"}]}")
                    .whenComplete((r, f) -> {
                        if (f != null) {
                            created.completeExceptionally(f);
                        } else {
                            created.complete(r);
                        }
                    }), i * 1000L / CREATED_PER_SECOND, TimeUnit.MILLISECONDS);
            creations.add(created);
        }

        // each invitation: accept, decline and cancel fired around its deadline, some before it, some after
        List<CompletableFuture<?>> fired = new ArrayList<>();
        List<Raced> raced = new ArrayList<>();
        for (int i = 0; i < INVITATIONS; i++) {
            HttpResponse<String> created = creations.get(i).get(2, TimeUnit.MINUTES);
            assertEquals(200, created.statusCode(), created.body());
            JsonNode invitation = JSON.readTree(created.body()).at("/invitations/0");
            Raced r = new Raced(run + "a" + (i % USERS), run + "b" + (i / USERS), invitation.get("invitationId").asText(),
                    Instant.parse(invitation.get("expiresAt").asText()), new HashMap<>());
            raced.add(r);
            // the three calls leave together, at one moment between 1.2 s before the deadline and
            // 0.2 s after it, so they race each other and, near the deadline, the expiry too
            long at = Duration.between(Instant.now(), r.deadline()).toMillis() + ThreadLocalRandom.current().nextLong(-1200, 200);
            List<String> actions = new ArrayList<>(List.of("accept", "decline", "cancel"));
            java.util.Collections.shuffle(actions);
            for (String action : actions) {
                CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
                r.calls().put(action, result);
                starter.schedule(() -> call(racers, tokens, r, action).whenComplete((response, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(response);
                    }
                }), Math.max(0, at), TimeUnit.MILLISECONDS);
                fired.add(result);
            }
        }
        CompletableFuture.allOf(fired.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        assertEquals(INVITATIONS, raced.size());
        clock.shutdown();
        starter.shutdown();
        Thread.sleep(1_500); // the sweeper's second, for any invitation no call reached in time

        List<String[]> pairs = new ArrayList<>();
        for (Raced r : raced) {
            pairs.add(new String[] { r.caller(), r.invitationId() });
            pairs.add(new String[] { r.callee(), r.invitationId() });
        }
        List<List<String>> events = RedisInspector.eventTypes(pairs);
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < raced.size(); i++) {
            Raced r = raced.get(i);
            List<String> winners = new ArrayList<>();
            for (var call : r.calls().entrySet()) {
                int status = call.getValue().join().statusCode();
                assertTrue(status == 200 || status == 409, r.invitationId() + " " + call.getKey() + " answered " + status);
                if (status == 200) {
                    winners.add(call.getKey());
                }
            }
            assertTrue(winners.size() <= 1, r.invitationId() + " had several winners: " + winners);
            List<String> callerTerminal = terminal(events.get(2 * i));
            List<String> calleeTerminal = terminal(events.get(2 * i + 1));
            assertEquals(1, callerTerminal.size(), r.invitationId() + " caller: " + events.get(2 * i));
            assertEquals(callerTerminal, calleeTerminal, r.invitationId());
            String state = callerTerminal.get(0).substring("invitation.".length()).toUpperCase();
            String expected = winners.isEmpty() ? "EXPIRED" : WINNER_STATE.get(winners.get(0));
            assertEquals(expected, state, r.invitationId() + " winners " + winners);
            outcomes.merge(state, 1, Integer::sum);
        }
        System.out.println("Race outcomes over " + INVITATIONS + " invitations: " + outcomes);
        assertEquals(INVITATIONS, outcomes.values().stream().mapToInt(Integer::intValue).sum());
    }

    private static List<String> terminal(List<String> types) {
        return types.stream().filter(t -> t.equals("invitation.accepted") || t.equals("invitation.declined")
                || t.equals("invitation.canceled") || t.equals("invitation.expired")).toList();
    }

    private static CompletableFuture<HttpResponse<String>> call(AsyncApi api, Map<String, String> tokens, Raced r, String action) {
        return switch (action) {
            case "accept" -> api.post(tokens.get(r.callee()), "respond",
                    "{\"invitationId\":\"" + r.invitationId() + "\",\"action\":\"accept\"}");
            case "decline" -> api.post(tokens.get(r.callee()), "respond",
                    "{\"invitationId\":\"" + r.invitationId() + "\",\"action\":\"decline\",\"reason\":\"busy\"}");
            default -> api.post(tokens.get(r.caller()), "cancel", "{\"invitationId\":\"" + r.invitationId() + "\"}");
        };
    }
}
