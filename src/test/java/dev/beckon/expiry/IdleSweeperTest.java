package dev.beckon.expiry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With nothing ringing the sweeper sleeps, and still expires each invitation within a second of
 * its deadline: an earlier deadline than any known wakes it, and so does losing the wake-ups.
 * Runs against a Redis of its own, so no other test's invitations are due meanwhile.
 */
@QuarkusTest
@TestProfile(IdleSweeperTest.OwnRedis.class)
@WithTestResource(BackingServices.class)
class IdleSweeperTest {

    public static class OwnRedis implements QuarkusTestProfile {
    }

    @Test
    void anIdleSweeperMakesAtMostOnePassOverTheShardsInTenSeconds() throws InterruptedException {
        Thread.sleep(2_000);
        RedisInspector.redis().call("CONFIG", "RESETSTAT");
        Thread.sleep(10_000);
        Map<String, Long> calls = commandCalls();
        // one pass is an FCALL (EVALSHA on Redis 6.2), a TIME and a ZRANGE per shard; polling
        // every 250 ms made 2,496
        long sweeping = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("fcall", 0L) + calls.getOrDefault("time", 0L)
                + calls.getOrDefault("zrange", 0L) + calls.getOrDefault("zrangebyscore", 0L);
        assertTrue(sweeping <= 48, "sweeper commands in 10 s: " + calls);
    }

    @Test
    void aSleepingSweeperIsWokenByAnEarlierDeadline() {
        String alice = Api.unique("alice"), bob = Api.unique("bob"), carol = Api.unique("carol");
        Api.conference(alice, Map.of("settings", Map.of("ringTimeoutSeconds", 120)), carol);
        var created = Api.conference(alice, Map.of("settings", Map.of("ringTimeoutSeconds", 5)), bob);

        assertExpiredWithinASecond(created, bob);
    }

    @Test
    void losingTheWakeUpsMakesItSweepEverythingAndListenAgain() {
        String alice = Api.unique("alice"), bob = Api.unique("bob");
        RedisInspector.redis().call("CLIENT", "KILL", "TYPE", "pubsub");
        var created = Api.conference(alice, Map.of("settings", Map.of("ringTimeoutSeconds", 5)), bob);
        assertExpiredWithinASecond(created, bob);

        // listening again: the next early deadline is heard
        String dave = Api.unique("dave");
        var later = Api.conference(alice, Map.of("settings", Map.of("ringTimeoutSeconds", 5)), dave);
        assertExpiredWithinASecond(later, dave);
    }

    private static void assertExpiredWithinASecond(io.restassured.path.json.JsonPath created, String invitee) {
        String invitationId = Api.invitationOf(created, invitee);
        Instant deadline = Instant.parse(created.getString("invitations[0].expiresAt"));
        List<JsonNode> expired = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> RedisInspector.events(invitee, "invitation.expired", invitationId), list -> !list.isEmpty());
        assertEquals(1, expired.size());
        long late = Duration.between(deadline, Instant.parse(expired.get(0).get("time").asText())).toMillis();
        assertTrue(late >= 0 && late < 1_000, "expired " + late + " ms after its deadline");
    }

    private static Map<String, Long> commandCalls() {
        String info = (String) RedisInspector.redis().call("INFO", "commandstats");
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String rest = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(line.substring("cmdstat_".length(), line.indexOf(':')), Long.parseLong(rest.substring(0, rest.indexOf(','))));
            }
        }
        return calls;
    }
}
