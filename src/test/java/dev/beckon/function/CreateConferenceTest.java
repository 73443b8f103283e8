package dev.beckon.function;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class CreateConferenceTest {

    @Test
    void theCallerOwnsTheConferenceIsConnectedAndEveryParticipantIsRung() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice, "Alice", "https://img.example/alice.png"))
                .body(Map.of("alias", "standup", "callType", "audio_call", "message", "Daily standup",
                        "roomUrl", "https://meet.example/standup",
                        "participants", List.of(Map.of("userId", bob, "name", "Bob"), Map.of("userId", carol))))
                .when().post("/createConference")
                .then().statusCode(200)
                .body("conferenceId", matchesPattern("[0-9a-f][0-9A-Za-z]{19}"))
                .body("alias", is("standup"))
                .body("ownerId", is(alice))
                .body("callType", is("audio_call"))
                .body("protected", is(false))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"))
                .body("expiresAt", notNullValue())
                .body("usersTokens", aMapWithSize(0))
                .body("invitations", hasSize(2))
                .body("invitations[0].to.userId", is(bob))
                .body("invitations[0].to.name", is("Bob"))
                .body("invitations[0].from.userId", is(alice))
                .body("invitations[0].from.name", is("Alice"))
                .body("invitations[0].from.avatarUrl", is("https://img.example/alice.png"))
                .body("invitations[0].state", is("PENDING"))
                .body("invitations[0].callType", is("audio_call"))
                .body("invitations[0].message", is("Daily standup"))
                .body("invitations[0].roomUrl", is("https://meet.example/standup"))
                .body("invitations[0].alias", is("standup"))
                .body("invitations[1].to.userId", is(carol))
                .extract().path("conferenceId");

        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId))
                .when().post("/getConference")
                .then().statusCode(200)
                .body("state", is("ACTIVE"))
                .body("participants.userId", equalTo(List.of(alice, bob, carol)))
                .body("participants.status", equalTo(List.of("CONNECTED", "RESERVED", "RESERVED")))
                .body("participants[0].permissions", hasSize(12))
                .body("participants[1].permissions", equalTo(List.of("JOIN", "SEND_AUDIO", "SEND_VIDEO",
                        "SHARE_SCREEN", "SHARE_VIDEO", "SHARE_FILE", "SEND_MESSAGE", "RECORD", "STREAM")));
    }

    @Test
    void defaultsApplyWhenTheBodyIsEmpty() {
        as(Tokens.user(unique("alice"))).body("{}")
                .when().post("/createConference")
                .then().statusCode(200)
                .body("callType", is("video_call"))
                .body("protected", is(false))
                .body("settings.ringTimeoutSeconds", is(30))
                .body("settings.canInviteDuringCall", is(true))
                .body("settings.onlyInitiatorCanInvite", is(false))
                .body("settings.maxInviteesPerRequest", is(9))
                .body("invitations", hasSize(0))
                .body("ownerToken", nullValue());
    }

    @Test
    void theAliasDefaultsToTheConferenceId() {
        var created = as(Tokens.user(unique("alice"))).body("{}").when().post("/createConference")
                .then().statusCode(200).extract().jsonPath();
        org.junit.jupiter.api.Assertions.assertEquals(created.getString("conferenceId"), created.getString("alias"));
    }

    @Test
    void aProtectedConferenceGivesTheOwnerAnAccessToken() {
        as(Tokens.user(unique("alice"))).body(Map.of("protected", true, "participants", List.of(Map.of("userId", unique("bob")))))
                .when().post("/createConference")
                .then().statusCode(200)
                .body("protected", is(true))
                .body("ownerToken", notNullValue())
                .body("usersTokens", aMapWithSize(0))
                .body("invitations[0].accessToken", nullValue());
    }

    @Test
    void aServerTokenCreatesForAUserAndReceivesEveryInviteesToken() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol");
        as(Tokens.server())
                .body(Map.of("as", alice, "participants", List.of(Map.of("userId", bob),
                        Map.of("userId", carol, "permissions", List.of("JOIN", "SEND_AUDIO")))))
                .when().post("/createConference")
                .then().statusCode(200)
                .body("ownerId", is(alice))
                .body("ownerToken", notNullValue())
                .body("usersTokens", aMapWithSize(2))
                .body("usersTokens." + bob, notNullValue())
                .body("invitations[0].accessToken", notNullValue())
                .body("invitations[1].accessToken", notNullValue());
    }

    @Test
    void aServerTokenMustNameTheOwner() {
        as(Tokens.server()).body("{}")
                .when().post("/createConference")
                .then().statusCode(400)
                .body("error", is("invalid_request"))
                .body("message", containsString("'as'"));
    }

    @Test
    void aUserTokenCannotActForSomeoneElse() {
        as(Tokens.user(unique("alice"))).body(Map.of("as", "mallory"))
                .when().post("/createConference")
                .then().statusCode(403)
                .body("error", is("forbidden"));
    }

    @Test
    void invitingYourselfIsRefused() {
        String alice = unique("alice");
        as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", alice))))
                .when().post("/createConference")
                .then().statusCode(400)
                .body("error", is("invalid_request"))
                .body("message", containsString("participants[0].userId"));
    }

    @Test
    void moreParticipantsThanTheConferenceAllowsIsTooLarge() {
        var participants = IntStream.range(0, 10).mapToObj(i -> Map.of("userId", "user" + i)).toList();
        as(Tokens.user(unique("alice"))).body(Map.of("participants", participants))
                .when().post("/createConference")
                .then().statusCode(413)
                .body("error", is("too_large"));

        as(Tokens.user(unique("alice"))).body(Map.of("participants", participants,
                "settings", Map.of("maxInviteesPerRequest", 10)))
                .when().post("/createConference")
                .then().statusCode(200)
                .body("invitations", hasSize(10));
    }

    @Test
    void theSameParticipantTwiceIsRefused() {
        as(Tokens.user(unique("alice"))).body(Map.of("participants", List.of(Map.of("userId", "bob"), Map.of("userId", "bob"))))
                .when().post("/createConference")
                .then().statusCode(400)
                .body("message", containsString("participants[1].userId"));
    }

    @Test
    void settingsAreValidatedFieldByField() {
        String alice = unique("alice");
        as(Tokens.user(alice)).body(Map.of("settings", Map.of("ringTimeoutSeconds", 4)))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("settings.ringTimeoutSeconds"));
        as(Tokens.user(alice)).body(Map.of("settings", Map.of("ringTimeoutSeconds", 601)))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("settings.ringTimeoutSeconds"));
        as(Tokens.user(alice)).body(Map.of("settings", Map.of("ringTimeoutSeconds", "30")))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("settings.ringTimeoutSeconds"));
        as(Tokens.user(alice)).body(Map.of("callType", "fax"))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("callType"));
        as(Tokens.user(alice)).body(Map.of("protected", "yes"))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("protected"));
        as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", "bob", "permissions", List.of("FLY")))))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("participants[0].permissions[0]"));
        as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", "bob smith"))))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("participants[0].userId"));
        as(Tokens.user(alice)).body(Map.of("roomUrl", "not a url"))
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("roomUrl"));
    }

    @Test
    void chosenPermissionsAreWhatTheInviteeGets() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("participants", List.of(Map.of("userId", bob, "permissions", List.of("JOIN", "SEND_AUDIO", "INVITE")))))
                .when().post("/createConference")
                .then().statusCode(200).extract().path("conferenceId");
        as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId))
                .when().post("/getConference")
                .then().statusCode(200)
                .body("participants.find { it.userId == '" + bob + "' }.permissions", hasItems("JOIN", "SEND_AUDIO", "INVITE"))
                .body("participants.find { it.userId == '" + bob + "' }.permissions", hasSize(3));
    }
}
