package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import dev.beckon.support.WebhookReceiver;
import dev.beckon.webhook.WebhookDispatcher;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every event reaches the application's backend as a Standard Webhooks-signed CloudEvent. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class WebhookTest {

    private static WebhookReceiver receiver() {
        return BackingServices.webhooks();
    }

    @Test
    void eventsArriveSignedInCloudEventsStructuredMode() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        respond(bob, invitationId, "accept").then().statusCode(200);

        var accepted = awaitOne(alice, "invitation.accepted", invitationId);
        assertTrue(accepted.verified(), "the standardwebhooks library accepts the signature");
        assertEquals("application/cloudevents+json; charset=utf-8", accepted.contentType());
        assertEquals(accepted.event().get("id").asText(), accepted.webhookId());
        assertEquals("1.0", accepted.event().get("specversion").asText());
        assertEquals(alice, accepted.event().get("subject").asText());
        assertTrue(Math.abs(accepted.timestamp() - System.currentTimeMillis() / 1000) < 60);
        awaitOne(bob, "invitation.accepted", invitationId);
    }

    @Test
    void anOfflineInviteeIsFlaggedSoTheBackendCanPushAndAnOnlineOneIsNot() {
        String alice = unique("alice"), offline = unique("offline"), online = unique("online");
        try (SseClient device = SseClient.connect(Tokens.user(online))) {
            var created = conference(alice, offline, online);
            var toOffline = awaitOne(offline, "invitation.received", invitationOf(created, offline));
            var toOnline = awaitOne(online, "invitation.received", invitationOf(created, online));
            assertFalse(toOffline.event().at("/data/online").asBoolean(true));
            assertTrue(toOnline.event().at("/data/online").asBoolean(false));
            assertTrue(toOffline.verified());
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithTheSameWebhookId() {
        String alice = unique("alice"), flaky = unique("flaky");
        receiver().failFirstAttempts(2, event -> event.path("subject").asText().equals(flaky));
        String invitationId = invitationOf(conference(alice, flaky), flaky);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                receiver().about(flaky, "invitation.received", invitationId).size() >= 3);
        List<WebhookReceiver.Received> attempts = receiver().about(flaky, "invitation.received", invitationId);
        assertEquals(3, attempts.size(), "two failures, then the success");
        assertEquals(List.of(503, 503, 204), attempts.stream().map(WebhookReceiver.Received::answeredWith).toList());
        assertEquals(1, attempts.stream().map(WebhookReceiver.Received::webhookId).distinct().count());
        assertEquals(1, attempts.stream().map(WebhookReceiver.Received::body).distinct().count(), "the same body each time");
        assertTrue(attempts.stream().allMatch(WebhookReceiver.Received::verified));
    }

    @Test
    void anEventThatNeverGetsThroughEndsInTheDeadLetterList() throws Exception {
        String alice = unique("alice"), gone = unique("gone");
        receiver().failFirstAttempts(100, event -> event.path("subject").asText().equals(gone));
        String invitationId = invitationOf(conference(alice, gone), gone);

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters().stream()
                .anyMatch(letter -> isReceivedOf(letter, invitationId)));
        var letter = JSON.readTree(deadLetters().stream().filter(l -> isReceivedOf(l, invitationId)).findFirst().orElseThrow());
        assertEquals(4, letter.get("attempts").asInt(), "beckon.webhook.max-attempts");
        assertEquals("HTTP 503", letter.get("lastError").asText());
        assertEquals(4, receiver().about(gone, "invitation.received", invitationId).size());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean isReceivedOf(String letter, String invitationId) {
        try {
            var event = JSON.readTree(JSON.readTree(letter).get("event").asText());
            return event.get("type").asText().equals("invitation.received")
                    && event.at("/data/invitationId").asText().equals(invitationId);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> deadLetters() {
        Object list = BackingServices.redis().call("LRANGE", WebhookDispatcher.DEAD_LETTERS, "0", "-1");
        return ((List<?>) list).stream().map(Object::toString).toList();
    }

    private static WebhookReceiver.Received awaitOne(String subject, String type, String invitationId) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !receiver().about(subject, type, invitationId).isEmpty());
        return receiver().about(subject, type, invitationId).get(0);
    }
}
