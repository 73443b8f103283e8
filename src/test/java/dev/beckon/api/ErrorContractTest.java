package dev.beckon.api;

import static dev.beckon.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every failure is JSON {error, message} with the contract's status, and never a 500. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ErrorContractTest {

    @ParameterizedTest
    @ValueSource(strings = { "{", "{\"direction\":", "nul", "[]", "\"incoming\"", "42", "{\"direction\":\"incoming\"} {}",
            "{\"direction\":\"incoming\",\"direction\":\"outgoing\"}", "{\"direction\":\"incoming\",}" })
    void malformedBodiesAreInvalidRequests(String body) {
        as(Tokens.user("bob")).body(body)
                .when().post("/listInvitations")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", is("invalid_request"))
                .body("message", notNullValue());
    }

    @Test
    void aMissingBodyIsAnInvalidRequest() {
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON)
                .when().post("/listInvitations")
                .then().statusCode(400).body("error", is("invalid_request"));
    }

    @Test
    void aNumberWhereAStringBelongsIsNotCoerced() {
        as(Tokens.user("bob")).body("{\"invitationId\": 12345, \"action\": \"accept\"}")
                .when().post("/respond")
                .then().statusCode(400).body("message", containsString("invitationId"));
    }

    @Test
    void unknownFieldsAreNamed() {
        as(Tokens.user("bob")).body("{\"direction\":\"incoming\",\"pendingonly\":true}")
                .when().post("/listInvitations")
                .then().statusCode(400).body("message", containsString("pendingonly"));
    }

    @Test
    void aBodyOver64KiBIsTooLarge() {
        String big = "{\"direction\":\"incoming\",\"as\":\"" + "a".repeat(70_000) + "\"}";
        as(Tokens.user("bob")).body(big)
                .when().post("/listInvitations")
                .then().statusCode(413).body("error", is("too_large"));
    }

    @Test
    void anythingButJsonIsRefused() {
        given().auth().oauth2(Tokens.user("bob")).contentType("text/plain").body("{\"direction\":\"incoming\"}")
                .when().post("/listInvitations")
                .then().statusCode(400).body("message", containsString("Content-Type"));
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.URLENC).formParam("direction", "incoming")
                .when().post("/listInvitations")
                .then().statusCode(400).body("error", is("invalid_request"));
    }

    @Test
    void functionsOnlyAnswerPost() {
        given().auth().oauth2(Tokens.user("bob")).queryParam("direction", "incoming")
                .when().get("/listInvitations")
                .then().statusCode(405).header("Allow", "POST").body("error", is("invalid_request"));
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{}")
                .when().put("/invite")
                .then().statusCode(405);
    }

    @Test
    void anUnknownPathIsNotFound() {
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{}")
                .when().post("/inviteEveryone")
                .then().statusCode(404).body("error", is("not_found"));
    }

    @Test
    void oddUnicodeIsRefusedRatherThanStored() {
        as(Tokens.user("alice")).body("{\"alias\":\"\\ud800\"}")
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("alias"));
        as(Tokens.user("alice")).body("{\"alias\":\"ok \\u0000 no\"}")
                .when().post("/createConference")
                .then().statusCode(400).body("message", containsString("alias"));
        as(Tokens.user("alice")).body("{\"alias\":\"Réunion 会议 🎉\"}")
                .when().post("/createConference")
                .then().statusCode(200).body("alias", is("Réunion 会议 🎉"));
    }

    @Test
    void deeplyNestedJsonIsAnInvalidRequest() {
        as(Tokens.user("alice")).body("{\"settings\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                .when().post("/createConference")
                .then().statusCode(400).body("error", is("invalid_request"));
    }
}
