package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
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
class LeaveTest {

    @Test
    void leavingMarksTheCallerLeftWhileOthersStayConnected() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String conferenceId = conference.getString("conferenceId");
        respond(bob, invitationOf(conference, bob), "accept").then().statusCode(200);

        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId))
                .when().post("/leave")
                .then().statusCode(200)
                .body("state", is("ACTIVE"))
                .body("participants.find { it.userId == '" + alice + "' }.status", is("LEFT"))
                .body("participants.find { it.userId == '" + bob + "' }.status", is("CONNECTED"));
    }

    @Test
    void whenTheLastConnectedParticipantLeavesTheConferenceEndsAndItsRingingInvitationsAreCanceled() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var conference = conference(alice, bob, carol);
        String conferenceId = conference.getString("conferenceId");
        respond(bob, invitationOf(conference, bob), "accept").then().statusCode(200);
        String toCarol = invitationOf(conference, carol);

        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId)).when().post("/leave").then().statusCode(200);
        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId))
                .when().post("/leave")
                .then().statusCode(200)
                .body("state", is("ENDED"))
                .body("endedAt", notNullValue())
                .body("participants.find { it.userId == '" + carol + "' }.status", is("CANCELED"));

        assertEquals(1, RedisInspector.events(carol, "invitation.canceled", toCarol).size());
        assertEquals(1, RedisInspector.events(alice, "invitation.canceled", toCarol).size());
        for (String user : new String[] { alice, bob, carol }) {
            long ended = RedisInspector.events(user).stream().filter(e -> e.get("type").asText().equals("conference.ended")).count();
            assertEquals(1, ended, user + " hears the conference end, those who left included");
        }
    }

    @Test
    void onlyAConnectedParticipantCanLeave() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = conference(alice, bob).getString("conferenceId");
        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId))
                .when().post("/leave").then().statusCode(409).body("state", is("RESERVED"));
        as(Tokens.user(unique("mallory"))).body(Map.of("conferenceId", conferenceId))
                .when().post("/leave").then().statusCode(403);
        as(Tokens.user(alice)).body(Map.of("conferenceId", "0AAAAAAAAAAAAAAAAAAA"))
                .when().post("/leave").then().statusCode(404);
    }
}
