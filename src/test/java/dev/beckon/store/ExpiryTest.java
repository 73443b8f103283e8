package dev.beckon.store;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An unanswered call becomes a missed call at its deadline, once, for both sides, however many
 * sweepers run (here the application's own and a second one racing it from the test).
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ExpiryTest {

    @jakarta.inject.Inject
    ConferenceStore store;

    @Test
    void theSweeperExpiresUnansweredInvitationsWithinASecondOfTheirDeadline() throws InterruptedException {
        String alice = unique("alice"), bob = unique("bob");
        var created = ringFor5Seconds(alice, bob);
        String toBob = Api.invitationOf(created, bob);

        Thread.sleep(untilDeadline(created) + 1_000);

        assertEquals(1, RedisInspector.events(bob, "invitation.expired", toBob).size());
        assertEquals(1, RedisInspector.events(alice, "invitation.expired", toBob).size());
        as(Tokens.user(alice)).body(Map.of("conferenceId", created.getString("conferenceId")))
                .when().post("/getConference")
                .then().statusCode(200)
                .body("participants.find { it.userId == '" + bob + "' }.status", is("EXPIRED"));
        respond(bob, toBob, "accept").then().statusCode(409).body("state", is("EXPIRED"));
    }

    @Test
    void withTwoSweepersRacingEachInvitationStillExpiresOnce() throws InterruptedException {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var created = ringFor5Seconds(alice, bob, carol, dave);

        // a second sweeper, as another gateway instance would run, hammering the same shards
        var secondSweeper = Executors.newSingleThreadScheduledExecutor();
        secondSweeper.scheduleAtFixedRate(() -> {
            for (int shard = 0; shard < Shards.COUNT; shard++) {
                store.expireDue(shard, 200).await().atMost(Duration.ofSeconds(5));
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(untilDeadline(created) + 1_500);
        } finally {
            secondSweeper.shutdownNow();
        }

        for (String invitee : List.of(bob, carol, dave)) {
            String invitationId = Api.invitationOf(created, invitee);
            assertEquals(1, RedisInspector.events(alice, "invitation.expired", invitationId).size(), invitationId);
            assertEquals(1, RedisInspector.events(invitee, "invitation.expired", invitationId).size(), invitationId);
        }
        cancel(alice, Api.invitationOf(created, dave)).then().statusCode(409).body("state", is("EXPIRED"));
    }

    private static io.restassured.path.json.JsonPath ringFor5Seconds(String owner, String... invitees) {
        return Api.call(Tokens.user(owner), "createConference", Map.of("settings", Map.of("ringTimeoutSeconds", 5),
                "participants", java.util.Arrays.stream(invitees).map(id -> Map.of("userId", id)).toList()))
                .then().statusCode(200).extract().jsonPath();
    }

    private static long untilDeadline(io.restassured.path.json.JsonPath created) {
        Instant deadline = Instant.parse(created.getString("invitations[0].expiresAt"));
        return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }
}
