package dev.beckon.push;

import static dev.beckon.support.Api.call;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.push.WebPushTestingService.Subscription;
import dev.beckon.store.Shards;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Push outbox entries that an instance read and then never finished (it died) are taken over by
 * another instance, against a real Redis and a real Web Push service: the instance under test
 * plays the survivor, a consumer that reads and then does nothing plays the dead one.
 */
@QuarkusTest
@TestProfile(PushTakeoverTest.QuickTakeover.class)
@WithTestResource(BackingServices.class)
class PushTakeoverTest {

    public static class QuickTakeover implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.push.takeover-after", "2s");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SHARD = 5;
    private static final String OUTBOX = Shards.prefix(SHARD) + "push";
    /** Queues an entry and reads it as another consumer in one step, so the live instance never sees it as new. */
    static final String READ_BY_DEAD_INSTANCE = """
            redis.pcall('XGROUP', 'CREATE', KEYS[1], 'push', '0', 'MKSTREAM')
            local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1], 'u', ARGV[2], 't', ARGV[3], 'i', ARGV[4])
            redis.call('XREADGROUP', 'GROUP', 'push', 'dead-instance', 'COUNT', '100', 'STREAMS', KEYS[1], '>')
            return id
            """;
    private static WebPushTestingService webPush;

    @BeforeAll
    static void startPushService() throws Exception {
        webPush = WebPushTestingService.start();
    }

    @AfterAll
    static void stopPushService() throws IOException {
        webPush.close();
    }

    @Test
    void aRingLeftPendingByAnInstanceThatDiedIsPushedByAnother() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob); // bob has no device yet: nothing rings
        JsonNode received = event(bob, "invitation.received", invitationId);
        Subscription browser = subscribe(bob);

        String entryId = leftByDeadInstance(received, bob);
        assertEquals(1L, pendingOf("dead-instance"), "the dead instance holds the entry");

        await().atMost(WAIT).until(() -> webPush.messages(browser).size() == 1);
        assertEquals(received, JSON.readTree(webPush.messages(browser).get(0)));
        await().atMost(WAIT).until(() -> pendingOf("dead-instance") == 0 && !inOutbox(entryId));
        assertEquals(0L, pendingTotal(), "the entry taken over is acknowledged once pushed");
    }

    @Test
    void aRingTakenOverAfterItsInvitationEndedIsNotPushed() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        JsonNode received = event(bob, "invitation.received", invitationId);
        cancel(alice, invitationId).then().statusCode(200);
        Subscription browser = subscribe(bob);

        String entryId = leftByDeadInstance(received, bob);
        await().atMost(WAIT).until(() -> pendingOf("dead-instance") == 0 && !inOutbox(entryId));

        Thread.sleep(1_000); // a push would have been started before the entry was finished; let it land if it was
        assertEquals(List.of(), webPush.messages(browser), "nothing is pushed for an invitation that no longer rings");
    }

    @Test
    void anEndLeftPendingReachesTheDevicesTheRingReached() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        Subscription browser = subscribe(bob);
        String invitationId = invitationOf(conference(alice, bob), bob);
        await().atMost(WAIT).until(() -> webPush.messages(browser).size() == 1);
        JsonNode received = event(bob, "invitation.received", invitationId);
        // an end as emit writes it, read by an instance that died before pushing it
        JsonNode ended = ((com.fasterxml.jackson.databind.node.ObjectNode) received.deepCopy()).put("type", "invitation.canceled");
        await().atMost(WAIT).until(() -> pendingTotal() == 0);

        leftByDeadInstance(ended, bob);

        await().atMost(WAIT).until(() -> webPush.messages(browser).size() == 2);
        assertEquals(ended, JSON.readTree(webPush.messages(browser).get(1)));
        await().atMost(WAIT).until(() -> RedisInspector.redis().call("EXISTS", pushedKey(bob, invitationId)).equals(0L));
    }

    private static String pushedKey(String userId, String invitationId) {
        return dev.beckon.device.DeviceStore.pushedKey(userId, invitationId);
    }

    /** Waits for the live instance to have finished what it read, then leaves one entry to a consumer that never finishes it. */
    private static String leftByDeadInstance(JsonNode event, String userId) {
        await().atMost(WAIT).until(() -> pendingTotal() == 0);
        return (String) RedisInspector.redis().call("EVAL", READ_BY_DEAD_INSTANCE, "1", OUTBOX, event.toString(), userId,
                event.path("type").asText(), event.at("/data/invitationId").asText());
    }

    private static long pendingTotal() {
        Object summary = RedisInspector.redis().call("XPENDING", OUTBOX, "push");
        return (Long) ((List<?>) summary).get(0);
    }

    private static long pendingOf(String consumer) {
        return ((List<?>) RedisInspector.redis().call("XPENDING", OUTBOX, "push", "-", "+", "100", consumer)).size();
    }

    private static boolean inOutbox(String entryId) {
        return !((List<?>) RedisInspector.redis().call("XRANGE", OUTBOX, entryId, entryId)).isEmpty();
    }

    private static JsonNode event(String userId, String type, String invitationId) {
        return RedisInspector.events(userId).stream()
                .filter(e -> type.equals(e.path("type").asText()) && invitationId.equals(e.at("/data/invitationId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " for " + invitationId));
    }

    private static Subscription subscribe(String userId) throws Exception {
        String key = given().when().get("/push/config").then().statusCode(200).extract().path("webpush.applicationServerKey");
        Subscription subscription = webPush.subscribe(key);
        call(Tokens.user(userId), "registerDevice", Map.of("platform", "webpush", "subscription", Map.of(
                "endpoint", subscription.endpoint(), "keys", Map.of("p256dh", subscription.p256dh(), "auth", subscription.auth()))))
                .then().statusCode(200);
        assertTrue(subscription.endpoint().startsWith("http"));
        return subscription;
    }
}
