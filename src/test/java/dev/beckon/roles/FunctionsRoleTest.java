package dev.beckon.roles;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** beckon.role=functions: the stateless functions alone, as deployed to scale to zero. */
@QuarkusTest
@TestProfile(FunctionsRoleTest.FunctionsOnly.class)
@WithTestResource(BackingServices.class)
class FunctionsRoleTest {

    public static class FunctionsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.role", "functions");
        }
    }

    @Test
    void theFunctionsWorkAndTheEventStreamIsNotHere() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        respond(bob, invitationId, "decline").then().statusCode(200);
        given().auth().oauth2(Tokens.user(bob)).when().get("/events").then().statusCode(404).body("error", is("not_found"));
    }

    @Test
    void withoutAnySweeperAnInvitationPastItsDeadlineExpiresWhenTouched() throws InterruptedException {
        String alice = unique("alice"), bob = unique("bob");
        var created = dev.beckon.support.Api.call(Tokens.user(alice), "createConference", Map.of(
                "settings", Map.of("ringTimeoutSeconds", 5), "participants", java.util.List.of(Map.of("userId", bob))))
                .then().statusCode(200).extract().jsonPath();
        String invitationId = invitationOf(created, bob);
        Thread.sleep(5_300);
        assertEquals(0, RedisInspector.events(bob, "invitation.expired", invitationId).size(), "no sweeper in this role");

        respond(bob, invitationId, "accept").then().statusCode(409).body("state", is("EXPIRED"));
        respond(bob, invitationId, "accept").then().statusCode(409).body("state", is("EXPIRED"));
        assertEquals(1, RedisInspector.events(bob, "invitation.expired", invitationId).size());
        assertEquals(1, RedisInspector.events(alice, "invitation.expired", invitationId).size());
    }
}
