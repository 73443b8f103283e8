package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.store.Shards;
import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Pause;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Reconnecting with Last-Event-ID replays what was missed: in order, each event once. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ReplayTest {

    @Test
    void whatHappenedWhileDisconnectedIsReplayedInOrderAndOnlyThat() {
        String alice = unique("alice"), bob = unique("bob");
        String before;
        String resumeFrom;
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            before = invitationOf(conference(alice, bob), bob);
            phone.await("invitation.received", before);
            phone.await(e -> "participant.added".equals(e.name()), Duration.ofSeconds(5));
            resumeFrom = phone.lastEventId();
        }

        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(invitationOf(conference(unique("caller"), bob), bob));
        }
        respond(bob, missed.get(0), "decline").then().statusCode(200);

        try (SseClient phone = SseClient.connect(Tokens.user(bob), resumeFrom)) {
            for (String invitationId : missed) {
                phone.await("invitation.received", invitationId);
            }
            phone.await("invitation.declined", missed.get(0));
            Pause.sleep(300);
            assertTrue(phone.received("invitation.received", before).isEmpty(), "nothing from before the id is replayed");
            for (String invitationId : missed) {
                assertEquals(1, phone.received("invitation.received", invitationId).size(), "each event once");
            }
            assertEquals(RedisInspector.events(bob).size() - countBefore(bob, before), phone.received().size(),
                    "exactly the events after the id");
        }
    }

    @Test
    void aRingingInvitationThatEndedWhileAwayIsFollowedByItsEnd() {
        String alice = unique("alice"), bob = unique("bob");
        String resumeFrom = SseClient.positionNow(Tokens.user(bob));
        String invitationId = invitationOf(conference(alice, bob), bob);
        cancel(alice, invitationId).then().statusCode(200);

        try (SseClient phone = SseClient.connect(Tokens.user(bob), resumeFrom)) {
            phone.await("invitation.received", invitationId);
            phone.await("invitation.canceled", invitationId);
            List<String> order = phone.received().stream()
                    .filter(e -> invitationId.equals(e.invitationId())).map(SseClient.Event::name).toList();
            assertTrue(order.indexOf("invitation.received") < order.indexOf("invitation.canceled"), order.toString());
        }
    }

    @Test
    void aReconnectAfterReplayDoesNotRepeatIt() {
        String alice = unique("alice"), bob = unique("bob");
        String first = SseClient.positionNow(Tokens.user(bob));
        String invitationId = invitationOf(conference(alice, bob), bob);
        String second;
        try (SseClient phone = SseClient.connect(Tokens.user(bob), first)) {
            phone.await("invitation.received", invitationId);
            phone.await(e -> "participant.added".equals(e.name()), Duration.ofSeconds(5));
            Pause.sleep(200);
            second = phone.lastEventId();
        }
        try (SseClient phone = SseClient.connect(Tokens.user(bob), second)) {
            Pause.sleep(500);
            assertEquals(0, phone.received().size(), "nothing new: " + phone.received());
        }
    }

    @Test
    void aReplayedInvitationEventCarriesTheInvitationAsItWasThen() {
        String alice = unique("alice"), bob = unique("bob");
        String resumeFrom = SseClient.positionNow(Tokens.user(bob));
        String invitationId = invitationOf(conference(alice, bob), bob);
        respond(bob, invitationId, "accept").then().statusCode(200);

        // the log holds the invitation's events without their data, which the conference keeps
        String conferenceId = invitationId.substring(0, invitationId.lastIndexOf('-'));
        List<?> log = (List<?>) BackingServices.redis().call("LRANGE", Shards.eventStream(Shards.ofConference(conferenceId), bob), "0", "-1");
        List<?> received = log.stream().filter(e -> e.toString().contains(" invitation.received ")).toList();
        assertEquals(1, received.size(), log.toString());
        assertTrue(received.get(0).toString().endsWith(" @"), received.toString());

        try (SseClient phone = SseClient.connect(Tokens.user(bob), resumeFrom)) {
            SseClient.Event ring = phone.await("invitation.received", invitationId);
            SseClient.Event accepted = phone.await("invitation.accepted", invitationId);
            assertEquals("PENDING", ring.data().get("state").asText());
            assertFalse(ring.data().has("respondedAt"), ring.data().toString());
            assertEquals(alice, ring.data().at("/from/userId").asText());
            assertEquals(ring.data().get("expiresAt"), accepted.data().get("expiresAt"));
            assertEquals("ACCEPTED", accepted.data().get("state").asText());
            assertTrue(accepted.data().has("respondedAt"), accepted.data().toString());
        }
    }

    @Test
    void replayedParticipantEventsCarryTheirPermissionsWhateverTheSet() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String resumeFrom = SseClient.positionNow(Tokens.user(alice));
        Api.call(Tokens.user(alice), "createConference", Map.of("participants", List.of(
                Map.of("userId", bob), Map.of("userId", carol, "permissions", List.of("JOIN", "RECORD")))))
                .then().statusCode(200);

        try (SseClient phone = SseClient.connect(Tokens.user(alice), resumeFrom)) {
            // carol was added after bob
            SseClient.Event carolAdded = phone.await(
                    e -> "participant.added".equals(e.name()) && carol.equals(e.data().at("/participant/userId").asText()),
                    Duration.ofSeconds(5));
            SseClient.Event bobAdded = phone.received().stream()
                    .filter(e -> bob.equals(e.data().at("/participant/userId").asText())).findFirst().orElseThrow();
            assertEquals(List.of("JOIN", "SEND_AUDIO", "SEND_VIDEO", "SHARE_SCREEN", "SHARE_VIDEO", "SHARE_FILE", "SEND_MESSAGE",
                    "RECORD", "STREAM"), texts(bobAdded.data().at("/participant/permissions")));
            assertEquals(List.of("JOIN", "RECORD"), texts(carolAdded.data().at("/participant/permissions")));
        }
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static long countBefore(String user, String invitationId) {
        // the events of the first conference (received + participant.added) were delivered before the id
        return RedisInspector.events(user).stream()
                .filter(e -> e.at("/data/invitationId").asText("").equals(invitationId)
                        || e.at("/data/conferenceId").asText("").equals(invitationId.substring(0, invitationId.lastIndexOf('-')))
                                && e.at("/data/participant/invitationId").asText("").equals(invitationId))
                .count();
    }
}
