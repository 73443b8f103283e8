package dev.beckon.lambda;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.getConference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.beckon.config.BeckonConfig;
import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The Lambda build (./mvnw package -Plambda): every request goes through Quarkus' mock Lambda
 * event server, which turns it into the API Gateway HTTP API event Lambda hands the function and
 * its answer back into HTTP. The HTTP contract is the same; the gateway parts do not run.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class LambdaFunctionsTest {

    @Inject
    BeckonConfig config;

    @BeforeEach
    void throughTheMockEventServer() {
        RestAssured.port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    @Test
    void theFunctionsAnswerAsOverHttp() {
        String alice = unique("alice"), bob = unique("bob");
        var created = conference(alice, bob);
        String conferenceId = created.getString("conferenceId");
        String invitationId = invitationOf(created, bob);

        respond(bob, invitationId, "accept").then().statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .body("state", is("ACCEPTED"));
        assertEquals("CONNECTED", getConference(alice, conferenceId).getString("participants.find { it.userId == '" + bob + "' }.status"));
        Api.call(Tokens.user(bob), "listInvitations", Map.of("direction", "incoming")).then().statusCode(200)
                .body("invitations[0].invitationId", is(invitationId));
        given().when().get("/.well-known/jwks.json").then().statusCode(200);
    }

    @Test
    void errorsKeepTheContractsStatusAndJson() {
        String alice = unique("alice");
        given().contentType("application/json").body("{}").when().post("/getConference")
                .then().statusCode(401).body("error", is("unauthenticated"));
        Api.as(Tokens.user(alice)).body("{not json").when().post("/getConference")
                .then().statusCode(400).body("error", is("invalid_request"));
        Api.call(Tokens.user(alice), "getConference", Map.of("conferenceId", "nothing-here"))
                .then().statusCode(404).body("error", is("not_found"));
        Api.call(Tokens.user(alice), "respond", Map.of("invitationId", "nothing-here", "action", "maybe"))
                .then().statusCode(400).body("error", is("invalid_request"));
        Api.as(Tokens.user(alice)).body("{}").when().get("/getConference")
                .then().statusCode(405);
    }

    @Test
    void theGatewayPartsDoNotRunOnLambda() throws InterruptedException {
        assertEquals(BeckonConfig.Role.functions, config.role());
        String alice = unique("alice"), bob = unique("bob");
        given().auth().oauth2(Tokens.user(bob)).when().get("/events").then().statusCode(404).body("error", is("not_found"));

        var created = Api.call(Tokens.user(alice), "createConference", Map.of(
                "settings", Map.of("ringTimeoutSeconds", 5), "participants", List.of(Map.of("userId", bob))))
                .then().statusCode(200).extract().jsonPath();
        String invitationId = invitationOf(created, bob);
        Thread.sleep(5_300);
        assertEquals(0, RedisInspector.events(bob, "invitation.expired", invitationId).size(), "no expiry sweeper on Lambda");
        respond(bob, invitationId, "accept").then().statusCode(409).body("state", is("EXPIRED"));
    }
}
