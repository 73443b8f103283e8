package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.getConference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.restassured.path.json.JsonPath;

/**
 * Busy and glare, as behaviour: whether an invitee is in a call or ringing elsewhere
 * ({@code inviteeBusy}), {@code settings.busyPolicy}, and two people calling each other at once.
 * Run against a single Redis ({@link BusyAndGlareTest}) and a Redis Cluster.
 */
public abstract class BusyAndGlareSpec {

    private static JsonPath call(String caller, Map<String, Object> extra, String... callees) {
        return conference(caller, extra, callees);
    }

    private static Map<String, Object> rejectBusy() {
        return Map.of("settings", Map.of("busyPolicy", "reject"));
    }

    @Test
    public void anInviteeInNoOtherCallIsNotBusy() {
        String alice = unique("alice"), bob = unique("bob");
        var created = call(alice, Map.of(), bob);
        assertEquals(false, created.getBoolean("invitations[0].inviteeBusy"));
        assertEquals("ring", created.getString("settings.busyPolicy"));
        assertEquals(false, created.getBoolean("glare"));
    }

    @Test
    public void anInviteeConnectedElsewhereIsBusyUntilTheyLeave() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var carols = call(carol, Map.of(), bob);
        respond(bob, invitationOf(carols, bob), "accept").then().statusCode(200);

        var alices = call(alice, Map.of(), bob);
        assertTrue(alices.getBoolean("invitations[0].inviteeBusy"), "bob is in carol's call");
        cancel(alice, invitationOf(alices, bob)).then().statusCode(200);

        as(Tokens.user(bob)).body(Map.of("conferenceId", carols.getString("conferenceId"))).when().post("/leave")
                .then().statusCode(200);
        assertEquals(false, call(dave, Map.of(), bob).getBoolean("invitations[0].inviteeBusy"), "bob left carol's call");
    }

    @Test
    public void anInviteeRingingElsewhereIsBusyUntilThatInvitationEnds() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var carols = call(carol, Map.of(), bob);

        var alices = call(alice, Map.of(), bob);
        assertTrue(alices.getBoolean("invitations[0].inviteeBusy"), "bob is ringing in carol's call (call waiting)");

        cancel(carol, invitationOf(carols, bob)).then().statusCode(200);
        cancel(alice, invitationOf(alices, bob)).then().statusCode(200);
        assertEquals(false, call(dave, Map.of(), bob).getBoolean("invitations[0].inviteeBusy"));
    }

    @Test
    public void theCallersOwnConferenceDoesNotMakeTheInviteeBusy() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = conference(alice).getString("conferenceId");
        Api.invite(alice, conferenceId, bob).then().statusCode(200).body("invitations[0].inviteeBusy", is(false));
        // ringing in this very conference: invited again, the same invitation, still not busy
        Api.invite(alice, conferenceId, bob).then().statusCode(200).body("invitations[0].inviteeBusy", is(false));
    }

    @Test
    public void rejectPolicyDeclinesABusyInviteeAtOnceWithoutRingingThem() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var carols = call(carol, Map.of(), bob);
        respond(bob, invitationOf(carols, bob), "accept").then().statusCode(200);

        try (SseClient bobs = SseClient.connect(Tokens.user(bob)); SseClient alices = SseClient.connect(Tokens.user(alice))) {
            var created = call(alice, rejectBusy(), bob);
            String invitationId = invitationOf(created, bob);
            assertEquals("DECLINED", created.getString("invitations[0].state"));
            assertEquals("busy", created.getString("invitations[0].reason"));
            assertTrue(created.getBoolean("invitations[0].inviteeBusy"));
            assertEquals("reject", created.getString("settings.busyPolicy"));

            bobs.await("invitation.declined", invitationId);
            alices.await("invitation.declined", invitationId);
            assertEquals(List.of(), bobs.received("invitation.received", invitationId), "a busy invitee is not rung");
            assertTrue(alices.received().stream().anyMatch(e -> e.name().equals("participant.updated")
                    && e.data().at("/participant/userId").asText().equals(bob)
                    && e.data().at("/participant/status").asText().equals("DECLINED")), "participant.updated " + alices.received());
        }
        // the same through invite
        String conferenceId = call(alice, rejectBusy()).getString("conferenceId");
        Api.invite(alice, conferenceId, bob).then().statusCode(200)
                .body("invitations[0].state", is("DECLINED"))
                .body("invitations[0].reason", is("busy"));
        as(Tokens.user(bob)).body(Map.of("direction", "incoming", "pendingOnly", true)).when().post("/listInvitations")
                .then().statusCode(200).body("invitations", hasSize(0));
    }

    @Test
    public void rejectPolicyRingsAnInviteeWhoIsFree() {
        String alice = unique("alice"), bob = unique("bob");
        var created = call(alice, rejectBusy(), bob);
        assertEquals("PENDING", created.getString("invitations[0].state"));
        assertEquals(false, created.getBoolean("invitations[0].inviteeBusy"));
    }

    @Test
    public void busyPolicyIsValidated() {
        String alice = unique("alice");
        for (Object bad : List.of("maybe", 1, true, "REJECT")) {
            as(Tokens.user(alice)).body(Map.of("settings", Map.of("busyPolicy", bad))).when().post("/createConference")
                    .then().statusCode(400)
                    .body("error", is("invalid_request"))
                    .body("message", containsString("settings.busyPolicy"));
        }
    }

    @Test
    public void callingSomeoneWhoIsCallingYouJoinsTheirCall() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient bobs = SseClient.connect(Tokens.user(bob)); SseClient alices = SseClient.connect(Tokens.user(alice))) {
            var bobsCall = call(bob, Map.of(), alice);
            String invitationId = invitationOf(bobsCall, alice);
            alices.await("invitation.received", invitationId);

            var answer = call(alice, Map.of(), bob);
            assertEquals(true, answer.getBoolean("glare"));
            assertEquals(bobsCall.getString("conferenceId"), answer.getString("conferenceId"));
            assertEquals(bob, answer.getString("ownerId"));
            assertEquals(1, answer.getList("invitations").size());
            assertEquals(invitationId, answer.getString("invitations[0].invitationId"));
            assertEquals("ACCEPTED", answer.getString("invitations[0].state"));
            assertEquals(null, answer.getString("ownerToken"), "an unprotected conference, a user token: no token");

            bobs.await("invitation.accepted", invitationId);
            alices.await("invitation.accepted", invitationId);
            assertTrue(bobs.received().stream().anyMatch(e -> e.name().equals("participant.updated")
                    && e.data().at("/participant/userId").asText().equals(alice)
                    && e.data().at("/participant/status").asText().equals("CONNECTED")));
            assertTrue(bobs.received().stream().noneMatch(e -> e.name().equals("invitation.received")), "bob was not rung");
        }
        var view = getConference(bob, answerConference(bob, alice));
        assertEquals(List.of("CONNECTED", "CONNECTED"), view.getList("participants.status"));
        as(Tokens.user(bob)).body(Map.of("direction", "incoming")).when().post("/listInvitations")
                .then().statusCode(200).body("invitations", hasSize(0));
    }

    /** The conference of the latest call from {@code caller} to {@code callee}. */
    private static String answerConference(String caller, String callee) {
        return as(Tokens.user(caller)).body(Map.of("direction", "outgoing")).when().post("/listInvitations")
                .then().statusCode(200).extract().path("invitations[0].conferenceId");
    }

    @Test
    public void glareInAProtectedConferenceGivesTheCallerTheirToken() {
        String alice = unique("alice"), bob = unique("bob");
        var bobsCall = call(bob, Map.of("protected", true), alice);
        var answer = call(alice, Map.of(), bob);
        assertEquals(true, answer.getBoolean("glare"));
        assertEquals(bobsCall.getString("conferenceId"), answer.getString("conferenceId"));
        String token = answer.getString("ownerToken");
        assertTrue(token != null && !token.isEmpty(), "the caller's access token");
        assertEquals(token, answer.getString("usersTokens." + alice));
        assertEquals(token, answer.getString("invitations[0].accessToken"));
        var participants = getConference(bob, bobsCall.getString("conferenceId"));
        assertEquals("CONNECTED", participants.getString("participants.find { it.userId == '" + alice + "' }.status"));
    }

    @Test
    public void noGlareWhenTheirCallHasMoreThanTwoPeople() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var bobsCall = call(bob, Map.of(), alice);
        Api.invite(bob, bobsCall.getString("conferenceId"), carol).then().statusCode(200);

        var answer = call(alice, Map.of(), bob);
        assertEquals(false, answer.getBoolean("glare"));
        assertTrue(!answer.getString("conferenceId").equals(bobsCall.getString("conferenceId")));
        assertEquals("PENDING", answer.getString("invitations[0].state"));
        as(Tokens.user(alice)).body(Map.of("direction", "incoming", "pendingOnly", true)).when().post("/listInvitations")
                .then().statusCode(200).body("invitations", hasSize(1))
                .body("invitations[0].invitationId", is(invitationOf(bobsCall, alice)));
    }

    @Test
    public void noGlareWhenMoreThanOnePersonIsCalled() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        var bobsCall = call(bob, Map.of(), alice);
        var answer = call(alice, Map.of(), bob, carol);
        assertEquals(false, answer.getBoolean("glare"));
        assertEquals(2, answer.getList("invitations").size());
        assertEquals(null, answer.getString("invitations.find { it.state == 'ACCEPTED' }"));
        as(Tokens.user(bob)).body(Map.of("invitationId", invitationOf(bobsCall, alice))).when().post("/cancel")
                .then().statusCode(200).body("state", is("CANCELED"));
    }

    @Test
    public void noGlareOnceTheirCallEnded() {
        String alice = unique("alice"), bob = unique("bob");
        var bobsCall = call(bob, Map.of(), alice);
        cancel(bob, invitationOf(bobsCall, alice)).then().statusCode(200);
        var answer = call(alice, Map.of(), bob);
        assertEquals(false, answer.getBoolean("glare"));
        assertEquals("PENDING", answer.getString("invitations[0].state"));
        assertTrue(!answer.getString("conferenceId").equals(bobsCall.getString("conferenceId")));
    }

}
