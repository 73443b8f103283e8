package dev.beckon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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

    private static long countBefore(String user, String invitationId) {
        // the events of the first conference (received + participant.added) were delivered before the id
        return RedisInspector.events(user).stream()
                .filter(e -> e.at("/data/invitationId").asText("").equals(invitationId)
                        || e.at("/data/conferenceId").asText("").equals(invitationId.substring(0, invitationId.lastIndexOf('-')))
                                && e.at("/data/participant/invitationId").asText("").equals(invitationId))
                .count();
    }
}
