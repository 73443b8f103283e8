package dev.beckon.cloudevents;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.getConference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The functions as CloudEvents at {@code POST /}, sent exactly as a Knative Broker delivers them:
 * binary mode (ce-* headers, the data as body) and structured mode (application/cloudevents+json).
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class CloudEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A binary-mode delivery: attributes in ce-* headers, the caller's token in ce-authtoken. */
    static Response binary(String type, String token, Object data) throws Exception {
        var request = given()
                .header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString())
                .header("ce-source", "/app/backend")
                .header("ce-type", type)
                .header("Content-Type", "application/json")
                .body(data instanceof String text ? text : JSON.writeValueAsString(data));
        if (token != null) {
            request.header("ce-authtoken", token);
        }
        return request.when().post("/");
    }

    /** A structured-mode delivery: the whole event as one JSON object. */
    static Response structured(String type, String token, Object data) throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/app/backend");
        event.put("type", type);
        event.put("datacontenttype", "application/json");
        if (token != null) {
            event.put("authtoken", token);
        }
        event.put("data", data);
        return given().header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .body(JSON.writeValueAsString(event)).when().post("/");
    }

    @Test
    void aBinaryCreateConferenceAnswersWithItsOutputEventAndRingsTheInvitee() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            var answer = binary("dev.beckon.createConference", Tokens.user(alice),
                    Map.of("alias", "standup", "participants", List.of(Map.of("userId", bob))))
                    .then().statusCode(200)
                    .header("ce-specversion", "1.0")
                    .header("ce-type", "dev.beckon.createConference.output")
                    .header("ce-source", "/functions/createConference")
                    .header("ce-id", not(emptyOrNullString()))
                    .header("ce-authtoken", (String) null)
                    .header("Content-Type", startsWith("application/json"))
                    .body("ownerId", is(alice))
                    .body("alias", is("standup"))
                    .body("invitations", hasSize(1))
                    .extract().jsonPath();
            String conferenceId = answer.getString("conferenceId");
            String invitationId = answer.getString("invitations[0].invitationId");

            assertEquals(alice, phone.await("invitation.received", invitationId).data().at("/from/userId").asText());
            var conference = getConference(alice, conferenceId);
            assertEquals("RESERVED", conference.getString("participants.find { it.userId == '" + bob + "' }.status"));
            assertEquals("CONNECTED", conference.getString("participants.find { it.userId == '" + alice + "' }.status"));
        }
    }

    @Test
    void aStructuredRespondAnswersWithAStructuredOutputEventAndTellsTheCaller() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        var created = conference(alice, bob);
        String invitationId = invitationOf(created, bob);
        try (SseClient caller = SseClient.connect(Tokens.user(alice))) {
            structured("dev.beckon.respond", Tokens.user(bob), Map.of("invitationId", invitationId, "action", "accept"))
                    .then().statusCode(200)
                    .header("Content-Type", startsWith("application/cloudevents+json"))
                    .body("specversion", is("1.0"))
                    .body("type", is("dev.beckon.respond.output"))
                    .body("source", is("/functions/respond"))
                    .body("id", not(emptyOrNullString()))
                    .body("data.invitationId", is(invitationId))
                    .body("data.state", is("ACCEPTED"));

            assertEquals("ACCEPTED", caller.await("invitation.accepted", invitationId).data().get("state").asText());
        }
        assertEquals("CONNECTED", getConference(alice, created.getString("conferenceId"))
                .getString("participants.find { it.userId == '" + bob + "' }.status"));
    }

    @Test
    void aServerTokenActsForTheUserItNames() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        structured("dev.beckon.createConference", Tokens.server(),
                Map.of("as", alice, "participants", List.of(Map.of("userId", bob))))
                .then().statusCode(200)
                .body("type", is("dev.beckon.createConference.output"))
                .body("data.ownerId", is(alice))
                .body("data.usersTokens." + bob, not(emptyOrNullString()));
    }

    @Test
    void anEventWithoutAValidTokenIsAnsweredWith401AndChangesNothing() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        var created = conference(alice, bob);
        String invitationId = invitationOf(created, bob);
        Map<String, Object> cancel = Map.of("invitationId", invitationId);

        binary("dev.beckon.cancel", null, cancel).then().statusCode(200)
                .header("ce-type", "dev.beckon.error")
                .header("ce-source", "/functions")
                .body("error", is("unauthenticated"))
                .body("status", is(401))
                .body("message", startsWith("Missing token"));
        binary("dev.beckon.cancel", Tokens.signedByAnotherKey(alice), cancel).then().statusCode(200)
                .header("ce-type", "dev.beckon.error")
                .body("error", is("unauthenticated")).body("status", is(401));
        structured("dev.beckon.cancel", Tokens.expired(alice), cancel).then().statusCode(200)
                .header("Content-Type", startsWith("application/cloudevents+json"))
                .body("type", is("dev.beckon.error"))
                .body("data.error", is("unauthenticated")).body("data.status", is(401));
        structured("dev.beckon.cancel", "", cancel).then().statusCode(200)
                .body("type", is("dev.beckon.error")).body("data.status", is(401));
        // a token sent the HTTP way does not count for an event
        given().auth().oauth2(Tokens.user(alice))
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/app").header("ce-type", "dev.beckon.cancel")
                .contentType("application/json").body(JSON.writeValueAsString(cancel)).when().post("/")
                .then().statusCode(200).header("ce-type", "dev.beckon.error").body("status", is(401));

        assertEquals("RESERVED", getConference(alice, created.getString("conferenceId"))
                .getString("participants.find { it.userId == '" + bob + "' }.status"));
        Api.call(Tokens.user(bob), "listInvitations", Map.of("direction", "incoming"))
                .then().body("invitations.find { it.invitationId == '" + invitationId + "' }.state", is("PENDING"));
    }

    @Test
    void anEventOfATypeNoFunctionTakesIsAnswered404AndRunsNothing() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        Map<String, Object> create = Map.of("participants", List.of(Map.of("userId", bob)));

        binary("dev.beckon.dropEverything", Tokens.user(alice), create).then().statusCode(200)
                .header("ce-type", "dev.beckon.error")
                .body("error", is("not_found")).body("status", is(404))
                .body("message", startsWith("No function takes CloudEvents of type 'dev.beckon.dropEverything'"));
        // the bare function name, which Funqy's binding maps by default, is not a Beckon type
        structured("createConference", Tokens.user(alice), create).then().statusCode(200)
                .body("type", is("dev.beckon.error")).body("data.status", is(404));
        binary("dev.beckon.createConference.output", Tokens.user(alice), create).then().statusCode(200)
                .header("ce-type", "dev.beckon.error").body("status", is(404));

        Api.call(Tokens.user(bob), "listInvitations", Map.of("direction", "incoming"))
                .then().statusCode(200).body("invitations", hasSize(0));
    }

    @Test
    void whatAFunctionRefusesComesBackAsAnErrorEventWithItsStatus() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);

        binary("dev.beckon.respond", Tokens.user(alice), Map.of("invitationId", invitationId, "action", "accept"))
                .then().statusCode(200)
                .header("ce-type", "dev.beckon.error")
                .header("ce-source", "/functions/respond")
                .body("error", is("forbidden")).body("status", is(403));
        Api.cancel(alice, invitationId).then().statusCode(200);
        structured("dev.beckon.respond", Tokens.user(bob), Map.of("invitationId", invitationId, "action", "accept"))
                .then().statusCode(200)
                .body("type", is("dev.beckon.error"))
                .body("source", is("/functions/respond"))
                .body("data.error", is("conflict")).body("data.state", is("CANCELED")).body("data.status", is(409));
        binary("dev.beckon.getConference", Tokens.user(alice), Map.of("conferenceId", "nothing-here"))
                .then().statusCode(200).header("ce-type", "dev.beckon.error").body("status", is(404));
        structured("dev.beckon.invite", Tokens.user(alice), Map.of("conferenceId", 42, "invitees", List.of()))
                .then().statusCode(200).body("type", is("dev.beckon.error"))
                .body("data.error", is("invalid_request")).body("data.status", is(400));
    }

    @Test
    void malformedEventsAreRefusedWithA400ErrorEvent() throws Exception {
        String alice = unique("alice");
        binary("dev.beckon.getConference", Tokens.user(alice), "{not json").then().statusCode(200)
                .header("ce-type", "dev.beckon.error").body("error", is("invalid_request")).body("status", is(400));
        binary("dev.beckon.getConference", Tokens.user(alice), "[1]").then().statusCode(200)
                .header("ce-type", "dev.beckon.error").body("status", is(400));
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-source", "/app")
                .header("ce-authtoken", Tokens.user(alice)).contentType("application/json").body("{}")
                .when().post("/").then().statusCode(200)
                .header("ce-type", "dev.beckon.error").body("status", is(400)).body("message", is("A CloudEvent needs header ce-type."));
        given().header("Content-Type", "application/cloudevents+json").body("{\"specversion\":\"1.0\"")
                .when().post("/").then().statusCode(200)
                .body("type", is("dev.beckon.error")).body("data.status", is(400));
        structured("dev.beckon.getConference", Tokens.user(alice), "not an object").then().statusCode(200)
                .body("type", is("dev.beckon.error")).body("data.error", is("invalid_request"))
                .body("data.message", is("Attribute 'data' must be the function's body, one JSON object."));
    }

    @Test
    void postRootWithoutACloudEventIsNotAFunctionAndFunctionPathsStayPlainHttp() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        given().auth().oauth2(Tokens.user(alice)).contentType("application/json").body("{}")
                .when().post("/").then().statusCode(404)
                .header("Content-Type", startsWith("application/json"))
                .body("error", is("not_found"));
        String conferenceId = conference(alice, bob).getString("conferenceId");
        // a stray ce-id header on POST /<name> does not let ce-type choose another function
        Api.as(Tokens.user(alice)).header("ce-id", "1").header("ce-type", "dev.beckon.leave")
                .body(Map.of("conferenceId", conferenceId)).when().post("/getConference")
                .then().statusCode(200).body("conferenceId", is(conferenceId));
        assertEquals("CONNECTED", getConference(alice, conferenceId)
                .getString("participants.find { it.userId == '" + alice + "' }.status"));
        // an empty body is refused as before, after the token
        given().auth().oauth2(Tokens.user(alice)).contentType("application/json").when().post("/listInvitations")
                .then().statusCode(400).body("error", is("invalid_request"));
        given().contentType("application/json").when().post("/listInvitations")
                .then().statusCode(401).body("error", is("unauthenticated"));
    }
}
