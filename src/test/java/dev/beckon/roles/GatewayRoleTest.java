package dev.beckon.roles;

import static dev.beckon.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** beckon.role=gateway: event streams, sweeper and webhooks, without the functions. */
@QuarkusTest
@TestProfile(GatewayRoleTest.GatewayOnly.class)
@WithTestResource(BackingServices.class)
class GatewayRoleTest {

    public static class GatewayOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.role", "gateway");
        }
    }

    @Test
    void streamsAreServedAndFunctionsAreNot() {
        try (SseClient phone = SseClient.connect(Tokens.user("bob"))) {
            assertNotNull(phone.lastEventId());
        }
        as(Tokens.user("alice")).body("{}").when().post("/createConference")
                .then().statusCode(404).body("error", is("not_found"));
        // nor as CloudEvents
        given().header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/app")
                .header("ce-type", "dev.beckon.createConference").header("ce-authtoken", Tokens.user("alice"))
                .contentType("application/json").body("{}").when().post("/")
                .then().statusCode(200).header("ce-type", "dev.beckon.error")
                .body("error", is("not_found")).body("status", is(404));
    }
}
