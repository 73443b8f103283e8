package dev.beckon.ratelimit;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Tokens;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One user cannot ring-spam others: beckon.rate-limit.invites-per-minute, here 5 (see
 * {@link FivePerMinute}). Run against a single Redis, where the invite step keeps the bucket, and
 * a Redis Cluster, where the bucket is charged before the step and refunded after it.
 */
public abstract class InviteRateLimitSpec {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.rate-limit.invites-per-minute", "5");
        }
    }

    /** The invitations {@code userId} has received, as they would list them. */
    private static int received(String userId) {
        return as(Tokens.user(userId)).body(Map.of("direction", "incoming"))
                .when().post("/listInvitations").then().statusCode(200).extract().path("invitations.size()");
    }

    @Test
    void aUserWhoRingsTooManyPeopleIsToldToWait() {
        String alice = unique("alice"), r6 = unique("r6");
        String conferenceId = as(Tokens.user(alice))
                .body(Map.of("participants", List.of(Map.of("userId", "r1"), Map.of("userId", "r2"), Map.of("userId", "r3"))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", "r4"), Map.of("userId", "r5"))))
                .when().post("/invite").then().statusCode(200);

        String retryAfter = as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", r6))))
                .when().post("/invite")
                .then().statusCode(429)
                .body("error", is("rate_limited"))
                .body("message", containsString("5 per minute"))
                .extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 60, "Retry-After " + retryAfter);
        assertEquals(0, received(r6), "the refused invitation rang nobody");
    }

    @Test
    void refusedRequestsCostNothing() {
        String alice = unique("alice"), carol = unique("carol");
        String conferenceId = as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", unique("w1")))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        for (int i = 0; i < 3; i++) {
            // refused (404, 403): they rang nobody; charged, they would have run out on the second round
            as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId + "x", "invitees", List.of(Map.of("userId", "w2"), Map.of("userId", "w3"))))
                    .when().post("/invite").then().statusCode(404);
            as(Tokens.user(carol)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", "w4"), Map.of("userId", "w5"))))
                    .when().post("/invite").then().statusCode(403);
        }

        // alice has rung one person, carol nobody: each still has the rest of the five
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees",
                List.of(Map.of("userId", unique("w6")), Map.of("userId", unique("w7")), Map.of("userId", unique("w8")), Map.of("userId", unique("w9")))))
                .when().post("/invite").then().statusCode(200);
        as(Tokens.user(carol)).body(Map.of("participants", List.of(Map.of("userId", "w1"), Map.of("userId", "w2"), Map.of("userId", "w3"),
                Map.of("userId", "w4"), Map.of("userId", "w5"))))
                .when().post("/createConference").then().statusCode(200);
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", unique("w10")))))
                .when().post("/invite").then().statusCode(429);
    }

    @Test
    void inviteesAlreadyRingingAreHandedBackFreeOfCharge() {
        String alice = unique("alice"), x1 = unique("x1"), x2 = unique("x2");
        String conferenceId = as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", x1), Map.of("userId", x2))))
                .when().post("/createConference").then().statusCode(200).extract().path("conferenceId");
        for (int i = 0; i < 3; i++) {
            as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", x1), Map.of("userId", x2))))
                    .when().post("/invite").then().statusCode(200)
                    .body("invitations.size()", is(2));
        }
        assertEquals(1, received(x1), "x1 was rung once");

        // two rang, so three of the five remain
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees",
                List.of(Map.of("userId", unique("x3")), Map.of("userId", unique("x4")), Map.of("userId", unique("x5")))))
                .when().post("/invite").then().statusCode(200);
        as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId, "invitees", List.of(Map.of("userId", unique("x6")))))
                .when().post("/invite").then().statusCode(429);
    }

    @Test
    void theLimitIsPerUser() {
        String alice = unique("alice"), carol = unique("carol");
        var five = List.of(Map.of("userId", "s1"), Map.of("userId", "s2"), Map.of("userId", "s3"), Map.of("userId", "s4"), Map.of("userId", "s5"));
        as(Tokens.user(alice)).body(Map.of("participants", five)).when().post("/createConference").then().statusCode(200);
        as(Tokens.user(alice)).body(Map.of("participants", List.of(Map.of("userId", "s6")))).when().post("/createConference").then().statusCode(429);
        as(Tokens.user(carol)).body(Map.of("participants", List.of(Map.of("userId", "s6")))).when().post("/createConference").then().statusCode(200);
    }

    @Test
    void theApplicationsBackendIsNotLimited() {
        String alice = unique("alice");
        for (int i = 0; i < 4; i++) {
            as(Tokens.server()).body(Map.of("as", alice, "participants", List.of(Map.of("userId", "t" + i), Map.of("userId", "u" + i))))
                    .when().post("/createConference").then().statusCode(200);
        }
    }

    @Test
    void oneRequestAboveTheWholeLimitIsRefusedOutright() {
        var six = List.of(Map.of("userId", "v1"), Map.of("userId", "v2"), Map.of("userId", "v3"), Map.of("userId", "v4"),
                Map.of("userId", "v5"), Map.of("userId", "v6"));
        as(Tokens.user(unique("alice"))).body(Map.of("participants", six))
                .when().post("/createConference").then().statusCode(429).body("error", is("rate_limited"));
    }
}
