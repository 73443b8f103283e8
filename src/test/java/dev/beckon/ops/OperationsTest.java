package dev.beckon.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import dev.beckon.function.FunctionCatalog;
import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What an operator relies on: health, metrics and the API description. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class OperationsTest {

    @Test
    void healthChecksRedis() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem(containsString("Redis")));
    }

    @Test
    void theOpenApiDocumentDescribesEveryFunctionWithItsErrors() {
        var document = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String function : FunctionCatalog.NAMES) {
            String path = "paths.'/" + function + "'.post";
            assertNotNull(document.getMap(path), function + " is documented");
            assertThat(function, document.getMap(path + ".responses"), allOf(hasKey("200"), hasKey("400"), hasKey("401")));
            assertNotNull(document.getMap(path + ".requestBody"), function + " has a request schema");
        }
        assertThat(document.getMap("components.schemas"), allOf(hasKey("Invitation"), hasKey("Error")));
        assertThat(document.getMap("paths"), hasKey("/events"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void beckonsOwnMetricsAreExported() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            String invitationId = invitationOf(conference(alice, bob), bob);
            phone.await("invitation.received", invitationId);
            respond(bob, invitationId, "accept").then().statusCode(200);
            phone.await("invitation.accepted", invitationId);
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("beckon_invitations_created_total"))
                    .body(containsString("beckon_invitations_ended_total{outcome=\"accepted\"}"))
                    .body(containsString("beckon_delivery_latency_seconds"))
                    .body(containsString("beckon_sessions_open"))
                    .body(containsString("beckon_webhook_attempts_total"));
        }
    }
}
