package dev.beckon.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.beckon.support.ClusterBackingServices;
import dev.beckon.support.Tokens;
import dev.beckon.support.WebhookReceiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Webhooks on a three-master Redis Cluster: events arrive signed, and whatever the receiver
 * does (down, flapping, up) the functions keep answering: webhooks run on their own Redis
 * connections with bounded work, so they cannot take Redis away from the functions. The
 * delivery check runs first, before the loads leave a backlog of retries behind.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(ClusterWebhookTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class ClusterWebhookTest {

    /** 10,000 calls in all: a sequential loop, then a concurrent load. */
    static final int SEQUENTIAL_CALLS = 2_500;
    static final int CONCURRENT_CALLS = 7_500;
    static final int CONCURRENCY = 16;

    /** Its own application instance on the cluster, with no invite rate limit for the load. */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.rate-limit.invites-per-minute", "0");
        }
    }

    @TestHTTPResource("/createConference")
    URL createConference;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static WebhookReceiver receiver() {
        return ClusterBackingServices.webhooks();
    }

    @AfterEach
    void receiverUp() {
        receiver().up();
    }

    @Test
    @Order(1)
    void eventsArriveSignedFromEveryNode() {
        String alice = unique("alice");
        Map<String, String> invitations = new ConcurrentHashMap<>();
        for (int i = 0; i < 12; i++) {
            String bob = unique("bob");
            invitations.put(bob, invitationOf(conference(alice, bob), bob));
        }
        invitations.forEach((bob, invitationId) -> {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    !receiver().about(bob, "invitation.received", invitationId).isEmpty());
            var received = receiver().about(bob, "invitation.received", invitationId).get(0);
            assertTrue(received.verified(), "the standardwebhooks library accepts the signature");
            assertEquals(received.event().get("id").asText(), received.webhookId());
            assertEquals(received.event().path("subject").asText(), bob);
        });
    }

    @Test
    @Order(2)
    void aSequentialLoopGetsNoServerErrorWhateverTheReceiverDoes() {
        String token = Tokens.user(unique("alice"));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        for (int i = 0; i < SEQUENTIAL_CALLS && !givingUp(statuses); i++) {
            modeFor(i, SEQUENTIAL_CALLS);
            statuses.computeIfAbsent(call(token, i), s -> new AtomicInteger()).incrementAndGet();
        }
        assertEquals(Map.of(200, SEQUENTIAL_CALLS), plain(statuses));
        afterwardsWebhooksFlowAgain();
    }

    @Test
    @Order(3)
    void aConcurrentLoadGetsNoServerErrorWhateverTheReceiverDoes() throws InterruptedException {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        for (int c = 0; c < CONCURRENCY; c++) {
            String token = Tokens.user(unique("caller" + c));
            callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < CONCURRENT_CALLS && !givingUp(statuses); i = next.getAndIncrement()) {
                    modeFor(i, CONCURRENT_CALLS);
                    statuses.computeIfAbsent(call(token, i), s -> new AtomicInteger()).incrementAndGet();
                }
            });
        }
        callers.shutdown();
        assertTrue(callers.awaitTermination(3, TimeUnit.MINUTES));
        assertEquals(Map.of(200, CONCURRENT_CALLS), plain(statuses));
        afterwardsWebhooksFlowAgain();
    }

    /** The receiver is down for the first third of the calls, flapping for the second, up for the last. */
    private static void modeFor(int call, int calls) {
        if (call == 0) {
            receiver().down();
        } else if (call == calls / 3) {
            receiver().flapping(Duration.ofMillis(300));
        } else if (call == 2 * calls / 3) {
            receiver().up();
        }
    }

    /** Once the receiver is up, the backlog drains: signed deliveries keep arriving. */
    private void afterwardsWebhooksFlowAgain() {
        receiver().up();
        int before = receiver().received().size();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver().received().stream()
                .skip(before).filter(r -> r.answeredWith() == 204 && r.verified()).count() >= 200);
    }

    private int call(String token, int i) {
        try {
            HttpRequest request = HttpRequest.newBuilder(createConference.toURI())
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"participants\":[{\"userId\":\"callee" + i + "\"}]}"))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** After a few failed calls the verdict is in; a Redis that stopped answering would otherwise take hours. */
    private static boolean givingUp(Map<Integer, AtomicInteger> statuses) {
        return statuses.entrySet().stream().filter(e -> e.getKey() != 200).mapToInt(e -> e.getValue().get()).sum() >= 20;
    }

    private static Map<Integer, Integer> plain(Map<Integer, AtomicInteger> statuses) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }
}
