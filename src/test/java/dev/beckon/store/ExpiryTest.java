package dev.beckon.store;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.RedisTestResource;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** An unanswered call becomes a missed call at its deadline, once, for both sides. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ExpiryTest {

    @Test
    void unansweredInvitationsExpireAtTheirDeadline() throws InterruptedException {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var created = Api.call(Tokens.user(alice), "createConference", Map.of("settings", Map.of("ringTimeoutSeconds", 5),
                "participants", List.of(Map.of("userId", bob), Map.of("userId", carol), Map.of("userId", dave))))
                .then().statusCode(200).extract().jsonPath();
        String toBob = Api.invitationOf(created, bob), toCarol = Api.invitationOf(created, carol), toDave = Api.invitationOf(created, dave);
        Instant deadline = Instant.parse(created.getString("invitations[0].expiresAt"));

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()) + 1_200);

        // the sweeper expired them within a second of the deadline: both sides got the missed call once
        assertEquals(1, RedisInspector.events(bob, "invitation.expired", toBob).size());
        assertEquals(1, RedisInspector.events(alice, "invitation.expired", toBob).size());
        // and whoever touches them now hears they expired
        respond(carol, toCarol, "accept").then().statusCode(409).body("state", is("EXPIRED"));
        cancel(alice, toDave).then().statusCode(409).body("state", is("EXPIRED"));
        as(Tokens.user(alice)).body(Map.of("conferenceId", created.getString("conferenceId")))
                .when().post("/getConference")
                .then().statusCode(200)
                .body("participants.find { it.userId == '" + bob + "' }.status", is("EXPIRED"));

        Thread.sleep(600);
        assertEquals(1, RedisInspector.events(carol, "invitation.expired", toCarol).size(), "expired exactly once");
        assertEquals(1, RedisInspector.events(alice, "invitation.expired", toDave).size(), "expired exactly once");
    }
}
