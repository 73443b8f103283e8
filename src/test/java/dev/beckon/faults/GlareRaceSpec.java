package dev.beckon.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
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
import dev.beckon.support.Tokens;

/**
 * Pairs of users calling each other at the same instant: every pair ends in exactly one
 * connected call, and nobody is rung twice. One of the two createConference calls starts the
 * call, the other meets it (glare) and accepts it, whichever order Redis sees them in.
 */
public abstract class GlareRaceSpec {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many pairs race. */
    protected abstract int pairs();

    /** How many pairs start per second (each pair's two calls leave at the same instant). */
    protected int pairsPerSecond() {
        return 100;
    }

    /** Requests in flight at most. */
    protected int concurrency() {
        return 64;
    }

    private record Pair(String a, String b, CompletableFuture<HttpResponse<String>> fromA,
            CompletableFuture<HttpResponse<String>> fromB) {
    }

    @Test
    public void twoPeopleCallingEachOtherAtOnceEndInOneCall() throws Exception {
        int pairs = pairs();
        AsyncApi api = new AsyncApi(concurrency());
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
        String run = "glare" + System.nanoTime() % 100_000;
        Map<String, String> tokens = new HashMap<>();
        List<Pair> raced = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String a = run + "a" + i, b = run + "b" + i;
            tokens.put(a, Tokens.user(a));
            tokens.put(b, Tokens.user(b));
            raced.add(new Pair(a, b, new CompletableFuture<>(), new CompletableFuture<>()));
        }
        for (int i = 0; i < pairs; i++) {
            Pair p = raced.get(i);
            // both calls leave together, in a random order
            clock.schedule(() -> {
                boolean aFirst = ThreadLocalRandom.current().nextBoolean();
                if (aFirst) {
                    send(api, tokens, p.a(), p.b(), p.fromA());
                    send(api, tokens, p.b(), p.a(), p.fromB());
                } else {
                    send(api, tokens, p.b(), p.a(), p.fromB());
                    send(api, tokens, p.a(), p.b(), p.fromA());
                }
            }, i * 1000L / pairsPerSecond(), TimeUnit.MILLISECONDS);
        }

        int aStarted = 0;
        List<CompletableFuture<HttpResponse<String>>> inboxes = new ArrayList<>();
        for (Pair p : raced) {
            JsonNode fromA = answer(p.fromA()), fromB = answer(p.fromB());
            boolean glareA = fromA.get("glare").asBoolean(), glareB = fromB.get("glare").asBoolean();
            assertTrue(glareA ^ glareB, p.a() + "/" + p.b() + ": exactly one answer is glare: " + fromA + " " + fromB);
            JsonNode started = glareA ? fromB : fromA, met = glareA ? fromA : fromB;
            aStarted += glareA ? 0 : 1;
            assertEquals(started.get("conferenceId").asText(), met.get("conferenceId").asText(), "the same conference");
            assertEquals(started.at("/invitations/0/invitationId").asText(), met.at("/invitations/0/invitationId").asText());
            assertEquals("ACCEPTED", met.at("/invitations/0/state").asText());
            inboxes.add(api.post(tokens.get(p.a()), "listInvitations", "{\"direction\":\"incoming\"}"));
            inboxes.add(api.post(tokens.get(p.b()), "listInvitations", "{\"direction\":\"incoming\"}"));
        }
        clock.shutdown();
        for (int i = 0; i < pairs; i++) {
            JsonNode a = answer(inboxes.get(2 * i)), b = answer(inboxes.get(2 * i + 1));
            int rung = a.get("invitations").size() + b.get("invitations").size();
            assertEquals(1, rung, raced.get(i).a() + "/" + raced.get(i).b() + ": one ring in all: " + a + " " + b);
            JsonNode only = a.get("invitations").size() == 1 ? a.at("/invitations/0") : b.at("/invitations/0");
            assertEquals("ACCEPTED", only.get("state").asText());
        }
        System.out.println("Glare race over " + pairs + " pairs: one call each; the 'a' side started " + aStarted
                + ", the 'b' side " + (pairs - aStarted));
    }

    private static void send(AsyncApi api, Map<String, String> tokens, String caller, String callee,
            CompletableFuture<HttpResponse<String>> into) {
        api.post(tokens.get(caller), "createConference", "{\"participants\":[{\"userId\":\"" + callee + "\"}]}")
                .whenComplete((r, f) -> {
                    if (f != null) {
                        into.completeExceptionally(f);
                    } else {
                        into.complete(r);
                    }
                });
    }

    private static JsonNode answer(CompletableFuture<HttpResponse<String>> call) throws Exception {
        HttpResponse<String> response = call.get(2, TimeUnit.MINUTES);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
