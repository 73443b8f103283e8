package dev.beckon.push;

import static dev.beckon.support.Api.call;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.push.WebPushTestingService.Subscription;
import dev.beckon.support.ClusterBackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Device push on a three-master Redis Cluster: the push outboxes of the shards live on
 * different nodes, and each call's ring and its end still reach the browser, in order.
 */
@QuarkusTest
@TestProfile(PushDispatchClusterTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class PushDispatchClusterTest {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.push.takeover-after", "2s");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebPushTestingService webPush;

    @BeforeAll
    static void startPushService() throws Exception {
        webPush = WebPushTestingService.start();
    }

    @AfterAll
    static void stopPushService() {
        webPush.close();
    }

    @Test
    void callsInEveryShardRingTheBrowserAndTheirEndFollows() throws Exception {
        String bob = unique("bob");
        String key = given().when().get("/push/config").then().statusCode(200).extract().path("webpush.applicationServerKey");
        Subscription browser = webPush.subscribe(key);
        call(Tokens.user(bob), "registerDevice", Map.of("platform", "webpush", "subscription", Map.of(
                "endpoint", browser.endpoint(), "keys", Map.of("p256dh", browser.p256dh(), "auth", browser.auth()))))
                .then().statusCode(200);
        // conference ids pick their shard at random: eight calls cover several shards and nodes
        for (int i = 0; i < 8; i++) {
            String invitationId = invitationOf(conference(unique("alice"), bob), bob);
            respond(bob, invitationId, "decline").then().statusCode(200);
            int pushed = 2 * (i + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> webPush.messages(browser).size() == pushed);
            List<String> messages = webPush.messages(browser);
            assertEquals("invitation.received", JSON.readTree(messages.get(pushed - 2)).path("type").asText());
            assertEquals(invitationId, JSON.readTree(messages.get(pushed - 2)).at("/data/invitationId").asText());
            assertEquals("invitation.declined", JSON.readTree(messages.get(pushed - 1)).path("type").asText());
            assertEquals(invitationId, JSON.readTree(messages.get(pushed - 1)).at("/data/invitationId").asText());
        }
    }

    @Test
    void aRingLeftPendingOnAnyShardByAnInstanceThatDiedIsTakenOver() throws Exception {
        String bob = unique("bob");
        Subscription browser = subscribe(bob);
        String invitationId = invitationOf(conference(unique("alice"), bob), bob);
        await().atMost(Duration.ofSeconds(30)).until(() -> webPush.messages(browser).size() == 1);
        String ring = webPush.messages(browser).get(0);

        // the same ring, read from a shard on each node by an instance that died before pushing it
        Map<Object, Integer> shardOnNode = new java.util.LinkedHashMap<>();
        for (int shard = 0; shard < dev.beckon.store.Shards.COUNT; shard++) {
            shardOnNode.putIfAbsent(ClusterBackingServices.cluster().nodeOf(dev.beckon.store.Shards.prefix(shard) + "push"), shard);
        }
        int[] shards = shardOnNode.values().stream().mapToInt(Integer::intValue).toArray();
        assertEquals(3, shards.length, "the push outboxes are spread over the three nodes");
        for (int shard : shards) {
            String outbox = dev.beckon.store.Shards.prefix(shard) + "push";
            ClusterBackingServices.cluster().nodeOf(outbox).call("EVAL", PushTakeoverTest.READ_BY_DEAD_INSTANCE, "1", outbox,
                    ring, bob, "invitation.received", invitationId);
        }

        // the call still rings: each is pushed again (browsers deduplicate on invitationId), and acknowledged
        await().atMost(Duration.ofSeconds(30)).until(() -> webPush.messages(browser).size() == 1 + shards.length);
        for (String pushed : webPush.messages(browser)) {
            assertEquals(JSON.readTree(ring), JSON.readTree(pushed));
        }
        for (int shard : shards) {
            String outbox = dev.beckon.store.Shards.prefix(shard) + "push";
            await().atMost(Duration.ofSeconds(30)).until(() -> ((Long) ((List<?>) ClusterBackingServices.cluster().nodeOf(outbox)
                    .call("XPENDING", outbox, "push")).get(0)) == 0L);
        }
    }

    private static Subscription subscribe(String userId) throws Exception {
        String key = given().when().get("/push/config").then().statusCode(200).extract().path("webpush.applicationServerKey");
        Subscription browser = webPush.subscribe(key);
        call(Tokens.user(userId), "registerDevice", Map.of("platform", "webpush", "subscription", Map.of(
                "endpoint", browser.endpoint(), "keys", Map.of("p256dh", browser.p256dh(), "auth", browser.auth()))))
                .then().statusCode(200);
        return browser;
    }
}
