package dev.beckon.gateway;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(BackingServices.class)
class PresenceTest {

    @Test
    void aUserIsOnlineWhileTheyHaveAnOpenStreamAndCountsTheirDevices() {
        String alice = unique("alice"), bob = unique("bob");
        presenceOf(alice, bob).body("presence." + bob + ".online", is(false)).body("presence." + bob + ".sessions", is(0));

        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            presenceOf(alice, bob).body("presence." + bob + ".online", is(true)).body("presence." + bob + ".sessions", is(1));
            try (SseClient laptop = SseClient.connect(Tokens.user(bob))) {
                presenceOf(alice, bob).body("presence." + bob + ".sessions", is(2));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> presenceOf(alice, bob).body("presence." + bob + ".sessions", is(1)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> presenceOf(alice, bob).body("presence." + bob + ".online", is(false)));
    }

    @Test
    void theSessionsOfAGatewayThatVanishedStopCountingAfterTheirLease() {
        String bob = unique("bob");
        // a session another gateway registered and then stopped renewing (it crashed)
        BackingServices.redis().call("ZADD", "bk:pr:{" + bob + "}",
                Long.toString(System.currentTimeMillis() + 1_500), "crashed-gateway:session");
        presenceOf("alice", bob).body("presence." + bob + ".online", is(true));
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> presenceOf("alice", bob).body("presence." + bob + ".online", is(false)));
    }

    @Test
    void theInputIsStrict() {
        as(Tokens.user("alice")).body(Map.of("userIds", List.of()))
                .when().post("/presence").then().statusCode(400).body("message", containsString("userIds"));
        as(Tokens.user("alice")).body(Map.of("userIds", List.of("ok", "not ok")))
                .when().post("/presence").then().statusCode(400).body("message", containsString("userIds[1]"));
        as(Tokens.user("alice")).body(Map.of("userIds", java.util.Collections.nCopies(201, "bob")))
                .when().post("/presence").then().statusCode(413).body("error", is("too_large"));
    }

    private static io.restassured.response.ValidatableResponse presenceOf(String asker, String... userIds) {
        return as(Tokens.user(asker)).body(Map.of("userIds", List.of(userIds)))
                .when().post("/presence").then().statusCode(200);
    }
}
