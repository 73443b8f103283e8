package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.getConference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
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
class RespondTest {

    @Test
    void acceptingConnectsTheInviteeAndTellsBothSides() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String invitationId = invitationOf(conference, bob);

        as(Tokens.user(bob)).body(Map.of("invitationId", invitationId, "action", "accept", "message", "on my way"))
                .when().post("/respond")
                .then().statusCode(200)
                .body("state", is("ACCEPTED"))
                .body("respondedAt", notNullValue())
                .body("responseMessage", is("on my way"))
                .body("reason", nullValue())
                .body("accessToken", nullValue());

        assertEquals("CONNECTED", getConference(alice, conference.getString("conferenceId"))
                .getString("participants.find { it.userId == '" + bob + "' }.status"));
        assertEquals(1, RedisInspector.events(alice, "invitation.accepted", invitationId).size());
        assertEquals(1, RedisInspector.events(bob, "invitation.accepted", invitationId).size(), "so bob's other devices stop ringing");
    }

    @Test
    void acceptingAProtectedConferenceHandsOutTheInviteesAccessToken() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, Map.of("protected", true), bob);
        respond(bob, invitationOf(conference, bob), "accept")
                .then().statusCode(200)
                .body("accessToken", notNullValue());
    }

    @Test
    void decliningCarriesTheReasonAndMessage() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String invitationId = invitationOf(conference, bob);

        as(Tokens.user(bob)).body(Map.of("invitationId", invitationId, "action", "decline", "reason", "busy", "message", "in a meeting"))
                .when().post("/respond")
                .then().statusCode(200)
                .body("state", is("DECLINED"))
                .body("reason", is("busy"))
                .body("responseMessage", is("in a meeting"));

        var events = RedisInspector.events(alice, "invitation.declined", invitationId);
        assertEquals(1, events.size());
        assertEquals("busy", events.get(0).at("/data/reason").asText());
        assertEquals("in a meeting", events.get(0).at("/data/responseMessage").asText());
        assertEquals("DECLINED", getConference(alice, conference.getString("conferenceId"))
                .getString("participants.find { it.userId == '" + bob + "' }.status"));
    }

    @Test
    void aDeclineWithoutReasonIsDeclined() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        respond(bob, invitationOf(conference, bob), "decline").then().statusCode(200).body("reason", is("declined"));
    }

    @Test
    void onlyTheInviteeMayRespond() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        respond(alice, invitationOf(conference, bob), "accept").then().statusCode(403).body("error", is("forbidden"));
        respond(unique("mallory"), invitationOf(conference, bob), "accept").then().statusCode(403);
    }

    @Test
    void terminalStatesNeverChange() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String invitationId = invitationOf(conference, bob);
        respond(bob, invitationId, "accept").then().statusCode(200);

        respond(bob, invitationId, "decline").then().statusCode(409).body("error", is("conflict")).body("state", is("ACCEPTED"));
        respond(bob, invitationId, "accept").then().statusCode(409).body("state", is("ACCEPTED"));
        cancel(alice, invitationId).then().statusCode(409).body("state", is("ACCEPTED"));
    }

    @Test
    void acceptingACanceledInvitationIsAConflict() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String invitationId = invitationOf(conference, bob);
        cancel(alice, invitationId).then().statusCode(200);
        respond(bob, invitationId, "accept").then().statusCode(409).body("state", is("CANCELED"));
    }

    @Test
    void theInputIsStrict() {
        String bob = unique("bob");
        as(Tokens.user(bob)).body(Map.of("invitationId", "x-1", "action", "maybe"))
                .when().post("/respond").then().statusCode(400).body("message", containsString("action"));
        as(Tokens.user(bob)).body(Map.of("invitationId", "x-1", "action", "accept", "reason", "busy"))
                .when().post("/respond").then().statusCode(400).body("message", containsString("reason"));
        as(Tokens.user(bob)).body(Map.of("invitationId", "x-1", "action", "decline", "reason", "bored"))
                .when().post("/respond").then().statusCode(400).body("message", containsString("reason"));
        as(Tokens.user(bob)).body(Map.of("action", "accept"))
                .when().post("/respond").then().statusCode(400).body("message", containsString("invitationId"));
        as(Tokens.user(bob)).body(Map.of("invitationId", "0AAAAAAAAAAAAAAAAAAA-1", "action", "accept"))
                .when().post("/respond").then().statusCode(404).body("error", is("not_found"));
        as(Tokens.user(bob)).body(Map.of("invitationId", "garbage", "action", "accept"))
                .when().post("/respond").then().statusCode(404);
    }
}
