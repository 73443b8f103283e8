package dev.beckon.gateway;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class EventsTest {

    @Test
    void everyDeviceOfTheCalleeRingsAndAllStopWhenOneAccepts() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob));
                SseClient laptop = SseClient.connect(Tokens.user(bob));
                SseClient caller = SseClient.connect(Tokens.user(alice))) {
            String invitationId = invitationOf(conference(alice, bob), bob);

            var onPhone = phone.await("invitation.received", invitationId);
            laptop.await("invitation.received", invitationId);
            var ringing = caller.await("invitation.ringing", invitationId);
            assertEquals("RINGING", ringing.data().get("state").asText());

            respond(bob, invitationId, "accept").then().statusCode(200);

            assertEquals("ACCEPTED", phone.await("invitation.accepted", invitationId).data().get("state").asText());
            laptop.await("invitation.accepted", invitationId);
            caller.await("invitation.accepted", invitationId);

            var event = onPhone.cloudEvent();
            assertEquals("1.0", event.get("specversion").asText());
            assertEquals("invitation.received", event.get("type").asText());
            assertEquals(bob, event.get("subject").asText());
            assertTrue(event.get("id").asText().length() > 0);
            assertTrue(event.get("source").asText().startsWith("/conferences/"));
            assertTrue(event.get("time").asText().endsWith("Z"));
            assertEquals(alice, event.at("/data/from/userId").asText());
        }
    }

    @Test
    void theInvitationIsRingingOnceItReachedADevice() {
        String alice = unique("alice"), bob = unique("bob");
        String offline = invitationOf(conference(alice, bob), bob);
        Api.call(Tokens.user(bob), "listInvitations", Map.of("direction", "incoming"))
                .then().body("invitations.find { it.invitationId == '" + offline + "' }.state", is("PENDING"));

        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            phone.await("invitation.received", offline);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    Api.call(Tokens.user(bob), "listInvitations", Map.of("direction", "incoming"))
                            .then().body("invitations.find { it.invitationId == '" + offline + "' }.state", is("RINGING")));
        }
    }

    @Test
    void aDeviceThatConnectsWhileACallRingsRingsToo() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        String answered = invitationOf(conference(unique("carol"), bob), bob);
        respond(bob, answered, "decline").then().statusCode(200);

        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            var event = phone.await("invitation.received", invitationId);
            assertEquals(invitationId, event.invitationId());
            assertTrue(phone.received("invitation.received", answered).isEmpty(), "an answered call does not ring");
        }
    }

    @Test
    void participantsHearWhoJoins() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient owner = SseClient.connect(Tokens.user(alice))) {
            String invitationId = invitationOf(conference(alice, bob), bob);
            var added = owner.await(e -> "participant.added".equals(e.name()), Duration.ofSeconds(5));
            assertEquals(bob, added.data().at("/participant/userId").asText());
            assertEquals("RESERVED", added.data().at("/participant/status").asText());
            respond(bob, invitationId, "accept").then().statusCode(200);
            var updated = owner.await(e -> "participant.updated".equals(e.name()), Duration.ofSeconds(5));
            assertEquals("CONNECTED", updated.data().at("/participant/status").asText());
        }
    }

    @Test
    void idleStreamsGetHeartbeats() throws InterruptedException {
        try (SseClient phone = SseClient.connect(Tokens.user(unique("bob")))) {
            Thread.sleep(2_500);
            assertTrue(phone.heartbeats() >= 1, "heartbeat comments: " + phone.heartbeats());
        }
    }

    @Test
    void browsersMayPassTheTokenAsAQueryParameter() {
        String bob = unique("bob");
        given().queryParam("access_token", Tokens.signedByAnotherKey(bob))
                .when().get("/events")
                .then().statusCode(401).body("error", is("unauthenticated"));
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            assertTrue(phone.lastEventId() != null);
        }
    }

    @Test
    void aStreamNeedsAValidToken() {
        given().when().get("/events").then().statusCode(401).body("error", is("unauthenticated"));
        given().auth().oauth2(Tokens.expired("bob")).when().get("/events").then().statusCode(401);
    }

    @Test
    void aLastEventIdBeckonDidNotIssueIsRefused() {
        given().auth().oauth2(Tokens.user("bob")).header("Last-Event-ID", "yesterday")
                .when().get("/events")
                .then().statusCode(400).body("error", is("invalid_request"));
    }
}
