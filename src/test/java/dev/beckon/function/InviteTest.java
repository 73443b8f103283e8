package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.invite;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class InviteTest {

    @Test
    void theOwnerRingsMorePeople() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = conference(alice).getString("conferenceId");

        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "message", "join us", "ringTimeoutSeconds", 45,
                        "invitees", List.of(Map.of("userId", bob, "name", "Bob", "avatarUrl", "https://img.example/b.png"))))
                .when().post("/invite")
                .then().statusCode(200)
                .body("invitations", hasSize(1))
                .body("invitations[0].conferenceId", is(conferenceId))
                .body("invitations[0].invitationId", is(conferenceId + "-1"))
                .body("invitations[0].to.name", is("Bob"))
                .body("invitations[0].to.avatarUrl", is("https://img.example/b.png"))
                .body("invitations[0].message", is("join us"))
                .body("invitations[0].state", is("PENDING"))
                .body("invitations[0].accessToken", nullValue());

        assertEquals(1, RedisInspector.events(bob, "invitation.received", conferenceId + "-1").size());
    }

    @Test
    void invitingSomeoneAlreadyRingingReturnsTheSameInvitationWithoutRingingAgain() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String conferenceId = conference.getString("conferenceId");
        String first = invitationOf(conference, bob);

        invite(alice, conferenceId, bob)
                .then().statusCode(200)
                .body("invitations[0].invitationId", is(first))
                .body("invitations[0].state", is("PENDING"));

        assertEquals(1, RedisInspector.events(bob, "invitation.received", first).size(), "rung once");
    }

    @Test
    void invitingSomeoneWhoseLastInvitationEndedRingsThemAgain() {
        String alice = unique("alice"), bob = unique("bob");
        var conference = conference(alice, bob);
        String conferenceId = conference.getString("conferenceId");
        String first = invitationOf(conference, bob);
        respond(bob, first, "decline").then().statusCode(200);

        String second = invite(alice, conferenceId, bob)
                .then().statusCode(200)
                .body("invitations[0].invitationId", not(first))
                .body("invitations[0].state", is("PENDING"))
                .extract().path("invitations[0].invitationId");

        assertEquals(1, RedisInspector.events(bob, "invitation.received", second).size());
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId)).when().post("/getConference")
                .then().body("participants.find { it.userId == '" + bob + "' }.status", is("RESERVED"))
                .body("participants.find { it.userId == '" + bob + "' }.invitationId", is(second));
    }

    @Test
    void someoneWhoLeftCanBeRungBackIn() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var conference = conference(alice, bob, carol);
        String conferenceId = conference.getString("conferenceId");
        respond(bob, invitationOf(conference, bob), "accept").then().statusCode(200);
        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId)).when().post("/leave").then().statusCode(200);

        invite(alice, conferenceId, bob).then().statusCode(200).body("invitations[0].state", is("PENDING"));
    }

    @Test
    void invitingYourselfIsRefused() {
        String alice = unique("alice");
        String conferenceId = conference(alice).getString("conferenceId");
        invite(alice, conferenceId, alice)
                .then().statusCode(400)
                .body("error", is("invalid_request"))
                .body("message", containsString("invitees[0].userId"));
    }

    @Test
    void someoneAlreadyConnectedCannotBeInvited() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var conference = conference(alice, bob);
        respond(bob, invitationOf(conference, bob), "accept").then().statusCode(200);

        invite(alice, conference.getString("conferenceId"), carol, bob)
                .then().statusCode(409)
                .body("error", is("conflict"))
                .body("state", is("CONNECTED"));
        assertEquals(0, RedisInspector.events(carol).size(), "a refused request rings nobody");
    }

    @Test
    void onlyConnectedParticipantsWithInviteMayInvite() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var conference = conference(alice, bob);
        String conferenceId = conference.getString("conferenceId");

        invite(carol, conferenceId, dave).then().statusCode(403).body("error", is("forbidden"));
        invite(bob, conferenceId, dave).then().statusCode(403).body("message", containsString("connected"));

        respond(bob, invitationOf(conference, bob), "accept").then().statusCode(200);
        invite(bob, conferenceId, dave).then().statusCode(403).body("message", containsString("INVITE"));
    }

    @Test
    void aParticipantGivenInviteMayInviteButGrantOnlyWhatTheyHave() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("participants", List.of(Map.of("userId", bob, "permissions", List.of("JOIN", "INVITE")))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        respond(bob, conferenceId + "-1", "accept").then().statusCode(200);

        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId,
                        "invitees", List.of(Map.of("userId", carol, "permissions", List.of("JOIN", "RECORD")))))
                .when().post("/invite")
                .then().statusCode(403).body("message", containsString("RECORD"));
        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId,
                        "invitees", List.of(Map.of("userId", carol, "permissions", List.of("JOIN")))))
                .when().post("/invite")
                .then().statusCode(200);
    }

    @Test
    void onlyTheInitiatorMayInviteWhenTheConferenceSaysSo() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("settings", Map.of("onlyInitiatorCanInvite", true),
                        "participants", List.of(Map.of("userId", bob, "permissions", List.of("JOIN", "INVITE")))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        respond(bob, conferenceId + "-1", "accept").then().statusCode(200);

        invite(bob, conferenceId, carol).then().statusCode(403).body("message", containsString("owner"));
        invite(alice, conferenceId, carol).then().statusCode(200);
    }

    @Test
    void noInvitationsOnceTheCallStartedWhenTheConferenceSaysSo() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("settings", Map.of("canInviteDuringCall", false), "participants", List.of(Map.of("userId", bob))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        invite(alice, conferenceId, carol).then().statusCode(200);

        respond(bob, conferenceId + "-1", "accept").then().statusCode(200);
        invite(alice, conferenceId, unique("dave")).then().statusCode(409).body("state", is("IN_CALL"));
    }

    @Test
    void theConferencesInviteeLimitApplies() {
        String alice = unique("alice");
        String conferenceId = as(Tokens.user(alice)).body(Map.of("settings", Map.of("maxInviteesPerRequest", 2)))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        invite(alice, conferenceId, "u1", "u2", "u3").then().statusCode(413).body("error", is("too_large"));
        invite(alice, conferenceId, "u1", "u2").then().statusCode(200).body("invitations", hasSize(2));
    }

    @Test
    void aConferenceHoldsAtMostOneHundredParticipantsBesidesItsOwner() {
        String alice = unique("alice"), newcomer = unique("newcomer");
        List<String> hundred = java.util.stream.IntStream.range(0, 100).mapToObj(i -> unique("p" + i)).toList();
        var created = conference(alice, Map.of("settings", Map.of("maxInviteesPerRequest", 100)), hundred.toArray(String[]::new));
        String conferenceId = created.getString("conferenceId");
        respond(hundred.get(0), invitationOf(created, hundred.get(0)), "decline").then().statusCode(200);

        invite(alice, conferenceId, newcomer)
                .then().statusCode(413)
                .body("error", is("too_large"))
                .body("message", containsString("at most 100 participants"))
                .body("message", containsString("beckon.max-participants"));
        assertEquals(List.of(), RedisInspector.events(newcomer));

        // whoever is in the list already may be rung again: that adds nobody
        invite(alice, conferenceId, hundred.get(0)).then().statusCode(200).body("invitations[0].state", is("PENDING"));
        assertEquals(101, Api.getConference(alice, conferenceId).getList("participants").size());
    }

    @Test
    void anUnknownConferenceIsNotFoundWhateverItsShape() {
        String alice = unique("alice");
        for (String id : List.of("0AAAAAAAAAAAAAAAAAAA", "nope", "{bk}:x", "ü".repeat(300))) {
            invite(alice, id, "bob").then().statusCode(404).body("error", is("not_found"));
        }
    }

    @Test
    void theBodyIsValidatedBeforeAnythingIsLookedUp() {
        as(Tokens.user(unique("alice"))).body(Map.of("conferenceId", "0AAAAAAAAAAAAAAAAAAA", "invitees", List.of()))
                .when().post("/invite")
                .then().statusCode(400).body("message", containsString("invitees"));
        as(Tokens.user(unique("alice"))).body(Map.of("conferenceId", 42, "invitees", List.of(Map.of("userId", "bob"))))
                .when().post("/invite")
                .then().statusCode(400).body("message", containsString("conferenceId"));
        as(Tokens.user(unique("alice"))).body(Map.of("conferenceId", "x", "invitees", List.of(Map.of("userId", "bob")),
                        "ringTimeoutSeconds", 2))
                .when().post("/invite")
                .then().statusCode(400).body("message", containsString("ringTimeoutSeconds"));
    }

    @Test
    void aServerTokenInvitesForAParticipantAndGetsTheInviteesTokens() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = conference(alice).getString("conferenceId");
        as(Tokens.server()).body(Map.of("as", alice, "conferenceId", conferenceId, "invitees", List.of(Map.of("userId", bob))))
                .when().post("/invite")
                .then().statusCode(200)
                .body("invitations[0].from.userId", is(alice))
                .body("invitations[0].accessToken", notNullValue());
    }

    @Test
    void nobodyCanInviteIntoAnEndedConference() {
        String alice = unique("alice");
        String conferenceId = conference(alice).getString("conferenceId");
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId)).when().post("/leave").then().statusCode(200);
        invite(alice, conferenceId, unique("bob")).then().statusCode(409).body("state", is("ENDED"));
    }
}
