package dev.beckon.cors;

import static dev.beckon.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A web app on another origin, once that origin is allowed, calls the functions and opens /events from the browser. */
@QuarkusTest
@TestProfile(CrossOriginTest.AppOriginAllowed.class)
@WithTestResource(BackingServices.class)
class CrossOriginTest {

    static final String APP = "https://app.example.test";

    public static class AppOriginAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", APP,
                    "beckon.rate-limit.invites-per-minute", "1");
        }
    }

    @Test
    void aPreflightForAFunctionAllowsPostWithTheTokenAndJson() {
        given().header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/createConference")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Content-Type"))
                .header("Access-Control-Max-Age", "3600");
    }

    @Test
    void aPreflightForTheEventStreamAllowsTheTokenAndLastEventId() {
        given().header("Origin", APP)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,last-event-id")
                .when().options("/events")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Allow-Methods", containsString("GET"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Last-Event-ID"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"));
    }

    @Test
    void aFunctionsAnswerCarriesTheOrigin() {
        as(Tokens.user("alice")).header("Origin", APP).body(Map.of("userIds", List.of("bob")))
                .when().post("/presence")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .body("presence.bob.online", is(false));
    }

    @Test
    void errorsCarryTheOriginSoTheAppCanReadThem() {
        given().header("Origin", APP).contentType("application/json").body("{}")
                .when().post("/listInvitations")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", APP)
                .body("error", is("unauthenticated"));
        as(Tokens.user("alice")).header("Origin", APP).body(Map.of("direction", "sideways"))
                .when().post("/listInvitations")
                .then().statusCode(400)
                .header("Access-Control-Allow-Origin", APP)
                .body("error", is("invalid_request"));
        as(Tokens.user("alice")).header("Origin", APP).body(Map.of("invitationId", "nothing-by-that-id"))
                .when().post("/cancel")
                .then().statusCode(404)
                .header("Access-Control-Allow-Origin", APP)
                .body("error", is("not_found"));
        given().header("Origin", APP).queryParam("access_token", "not-a-token")
                .when().get("/events")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", APP)
                .body("error", is("unauthenticated"));
    }

    @Test
    void aConflictAndARateLimitAreReadableWithTheirDetails() {
        String conferenceId = as(Tokens.user("carol")).header("Origin", APP)
                .body(Map.of("participants", List.of(Map.of("userId", "dave"))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        String invitationId = as(Tokens.user("carol")).body(Map.of("conferenceId", conferenceId))
                .when().post("/getConference").then().statusCode(200)
                .extract().path("participants.find { it.userId == 'dave' }.invitationId");
        as(Tokens.user("carol")).body(Map.of("invitationId", invitationId)).when().post("/cancel").then().statusCode(200);

        as(Tokens.user("dave")).header("Origin", APP).body(Map.of("invitationId", invitationId, "action", "accept"))
                .when().post("/respond")
                .then().statusCode(409)
                .header("Access-Control-Allow-Origin", APP)
                .body("state", is("CANCELED"));
        as(Tokens.user("carol")).header("Origin", APP)
                .body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", "erin"))))
                .when().post("/invite")
                .then().statusCode(429)
                .header("Access-Control-Allow-Origin", APP)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Retry-After"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void anotherOriginIsRefused() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/createConference")
                .then().header("Access-Control-Allow-Origin", nullValue());
        as(Tokens.user("alice")).header("Origin", "https://evil.example").body(Map.of("userIds", List.of("bob")))
                .when().post("/presence")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
