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
}
