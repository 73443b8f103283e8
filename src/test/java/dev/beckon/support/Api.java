package dev.beckon.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Shorthands for calling Beckon's functions in tests; assertions stay in the tests. */
public final class Api {

    private Api() {
    }

    /** A request carrying {@code token} and a JSON body, ready for {@code .body(...).when().post("/fn")}. */
    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static Response call(String token, String function, Object body) {
        return as(token).body(body).when().post("/" + function);
    }

    /** Creates a conference owned by {@code owner} that rings {@code invitees}; asserts it worked. */
    public static JsonPath conference(String owner, String... invitees) {
        return conference(owner, Map.of(), invitees);
    }

    public static JsonPath conference(String owner, Map<String, Object> extra, String... invitees) {
        var body = new java.util.HashMap<String, Object>(extra);
        body.put("participants", List.of(invitees).stream().map(id -> Map.of("userId", id)).toList());
        return call(Tokens.user(owner), "createConference", body).then().statusCode(200).extract().jsonPath();
    }

    /** The invitation id {@code createConference} rang {@code userId} with. */
    public static String invitationOf(JsonPath conference, String userId) {
        return conference.getString("invitations.find { it.to.userId == '" + userId + "' }.invitationId");
    }

    public static Response respond(String userId, String invitationId, String action) {
        return call(Tokens.user(userId), "respond", Map.of("invitationId", invitationId, "action", action));
    }

    public static Response cancel(String userId, String invitationId) {
        return call(Tokens.user(userId), "cancel", Map.of("invitationId", invitationId));
    }

    public static Response invite(String userId, String conferenceId, String... invitees) {
        return call(Tokens.user(userId), "invite", Map.of("conferenceId", conferenceId,
                "invitees", List.of(invitees).stream().map(id -> Map.of("userId", id)).toList()));
    }

    public static JsonPath getConference(String userId, String conferenceId) {
        return call(Tokens.user(userId), "getConference", Map.of("conferenceId", conferenceId))
                .then().statusCode(200).extract().jsonPath();
    }

    /** A user id no other test uses, so tests never see each other's invitations. */
    public static String unique(String name) {
        return name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }
}
