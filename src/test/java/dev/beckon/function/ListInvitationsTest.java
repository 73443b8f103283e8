package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class ListInvitationsTest {

    @Test
    void incomingInvitationsComeNewestFirstAcrossConferences() throws InterruptedException {
        String bob = unique("bob");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(invitationOf(conference(unique("caller"), bob), bob));
            Thread.sleep(3);
        }
        Collections.reverse(ids);

        as(Tokens.user(bob)).body(Map.of("direction", "incoming"))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations.invitationId", contains(ids.toArray()));
        as(Tokens.user(bob)).body(Map.of("direction", "incoming", "limit", 2))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations.invitationId", contains(ids.get(0), ids.get(1)));
    }

    @Test
    void pendingOnlyIsTheInboxOfCallsStillRinging() {
        String bob = unique("bob");
        String answered = invitationOf(conference(unique("a"), bob), bob);
        String ringing = invitationOf(conference(unique("b"), bob), bob);
        respond(bob, answered, "decline").then().statusCode(200);

        as(Tokens.user(bob)).body(Map.of("direction", "incoming", "pendingOnly", true))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations.invitationId", contains(ringing));
        as(Tokens.user(bob)).body(Map.of("direction", "incoming"))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations", hasSize(2))
                .body("invitations.find { it.invitationId == '" + answered + "' }.state", is("DECLINED"));
    }

    @Test
    void outgoingIsTheCallHistoryOfTheCaller() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var conference = conference(alice, bob, carol);
        as(Tokens.user(alice)).body(Map.of("direction", "outgoing"))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations", hasSize(2))
                .body("invitations.to.userId", org.hamcrest.Matchers.containsInAnyOrder(bob, carol));
        as(Tokens.user(bob)).body(Map.of("direction", "outgoing"))
                .when().post("/listInvitations")
                .then().statusCode(200)
                .body("invitations", hasSize(0));
        respond(bob, invitationOf(conference, bob), "accept");
    }

    @Test
    void aServerTokenReadsAUsersInboxWithAs() {
        String bob = unique("bob");
        conference(unique("alice"), bob);
        as(Tokens.server()).body(Map.of("direction", "incoming", "as", bob))
                .when().post("/listInvitations")
                .then().statusCode(200).body("invitations", hasSize(1));
    }

    @Test
    void theInputIsStrict() {
        as(Tokens.user("bob")).body(Map.of("direction", "incoming", "limit", 0))
                .when().post("/listInvitations").then().statusCode(400).body("message", containsString("limit"));
        as(Tokens.user("bob")).body(Map.of("direction", "incoming", "limit", 201))
                .when().post("/listInvitations").then().statusCode(400).body("message", containsString("limit"));
        as(Tokens.user("bob")).body(Map.of("direction", "incoming", "pendingOnly", 1))
                .when().post("/listInvitations").then().statusCode(400).body("message", containsString("pendingOnly"));
        as(Tokens.user("bob")).body(Map.of())
                .when().post("/listInvitations").then().statusCode(400).body("message", containsString("direction"));
    }
}
