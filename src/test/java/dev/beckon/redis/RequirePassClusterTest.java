package dev.beckon.redis;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.PasswordClusterServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * On a three-master Redis Cluster that requires a password, set apart from the URL in
 * {@code quarkus.redis.password}: the functions and the gateway's pub/sub connection both log in,
 * so a call rings the callee's open stream and the answer reaches the caller's.
 */
@QuarkusTest
@TestProfile(RequirePassClusterTest.WithPassword.class)
@WithTestResource(PasswordClusterServices.class)
class RequirePassClusterTest {

    /** A profile of its own, so this application instance is the one wired to this Redis. */
    public static class WithPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.history-limit", "499");
        }
    }

    @Test
    void readinessSeesRedis() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aCallRingsAndIsAnsweredLive() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob)); SseClient caller = SseClient.connect(Tokens.user(alice))) {
            String invitationId = invitationOf(conference(alice, bob), bob);
            phone.await("invitation.received", invitationId);
            caller.await("invitation.ringing", invitationId);
            respond(bob, invitationId, "accept").then().statusCode(200);
            caller.await("invitation.accepted", invitationId);
        }
    }
}
