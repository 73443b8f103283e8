package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.getConference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.invite;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.RedisInspector;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class CancelTest {

    @Test
    void theInviterCancelsAndBothSidesHearIt() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String invitationId = invitationOf(conference, bob);

        cancel(alice, invitationId).then().statusCode(200).body("state", is("CANCELED"));

        assertEquals(1, RedisInspector.events(bob, "invitation.canceled", invitationId).size());
        assertEquals(1, RedisInspector.events(alice, "invitation.canceled", invitationId).size());
        assertEquals("CANCELED", getConference(alice, conference.getString("conferenceId"))
                .getString("participants.find { it.userId == '" + bob + "' }.status"));
    }

    @Test
    void theOwnerMayCancelAnInvitationSomeoneElseSent() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("participants", java.util.List.of(Map.of("userId", bob, "permissions", java.util.List.of("JOIN", "INVITE")))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        respond(bob, conferenceId + "-1", "accept").then().statusCode(200);
        String toCarol = invite(bob, conferenceId, carol).then().statusCode(200).extract().path("invitations[0].invitationId");

        cancel(alice, toCarol).then().statusCode(200).body("state", is("CANCELED"));
    }

    @Test
    void aServerTokenMayCancelAnyInvitation() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        as(Tokens.server()).body(Map.of("invitationId", invitationId))
                .when().post("/cancel")
                .then().statusCode(200).body("state", is("CANCELED"));
    }

    @Test
    void nobodyElseMayCancel() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        cancel(bob, invitationId).then().statusCode(403).body("error", is("forbidden"));
        cancel(unique("mallory"), invitationId).then().statusCode(403);
    }

    @Test
    void cancelingAfterTheDeclineIsAConflict() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        respond(bob, invitationId, "decline").then().statusCode(200);
        cancel(alice, invitationId).then().statusCode(409).body("state", is("DECLINED"));
    }
}
