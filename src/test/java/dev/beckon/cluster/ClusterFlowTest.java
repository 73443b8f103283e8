package dev.beckon.cluster;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.as;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.store.Shards;
import dev.beckon.support.Api;
import dev.beckon.support.ClusterBackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole flow on a three-master Redis Cluster. Redis Cluster refuses a script that touches keys
 * of two slots, so every state change succeeding here shows it stays in one slot; the users'
 * own keys (presence, rate limit) and their conferences live on different nodes, and events
 * still reach them.
 */
@QuarkusTest
@TestProfile(ClusterFlowTest.OnCluster.class)
@WithTestResource(ClusterBackingServices.class)
class ClusterFlowTest {

    /** A profile of its own, so this application instance is the one wired to the cluster. */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beckon.history-limit", "500");
        }
    }

    @Test
    void theConferencesSpreadOverEveryNode() {
        Set<Integer> nodes = new HashSet<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            nodes.add(ClusterBackingServices.cluster().nodes().indexOf(ClusterBackingServices.cluster().nodeOf(Shards.prefix(shard))));
        }
        assertEquals(Set.of(0, 1, 2), nodes);
    }

    @Test
    void aCallRingsEveryDeviceAndIsAnsweredAcrossNodes() {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob)); SseClient laptop = SseClient.connect(Tokens.user(bob));
                SseClient caller = SseClient.connect(Tokens.user(alice))) {
            var created = conference(alice, Map.of("protected", true), bob);
            String invitationId = invitationOf(created, bob);
            phone.await("invitation.received", invitationId);
            laptop.await("invitation.received", invitationId);
            caller.await("invitation.ringing", invitationId);

            respond(bob, invitationId, "accept").then().statusCode(200).body("accessToken", notNullValue());
            phone.await("invitation.accepted", invitationId);
            laptop.await("invitation.accepted", invitationId);
            caller.await("invitation.accepted", invitationId);
        }
    }

    @Test
    void eventsReachUsersWhoseOwnKeysLiveOnOtherNodes() {
        String alice = unique("alice");
        // find a callee whose presence key is served by another node than the conference
        var created = conference(alice);
        String conferenceId = created.getString("conferenceId");
        EmbeddedRedisServer conferenceNode = ClusterBackingServices.cluster().nodeOf(Shards.prefix(Shards.ofConference(conferenceId)));
        String bob = null;
        for (int i = 0; bob == null; i++) {
            String candidate = unique("bob" + i);
            if (ClusterBackingServices.cluster().nodeOf("bk:pr:{" + candidate + "}") != conferenceNode) {
                bob = candidate;
            }
        }
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            String invitationId = Api.invite(alice, conferenceId, bob).then().statusCode(200).extract().path("invitations[0].invitationId");
            phone.await("invitation.received", invitationId);
            as(Tokens.user(alice)).body(Map.of("userIds", List.of(bob))).when().post("/presence")
                    .then().statusCode(200).body("presence." + bob + ".online", is(true));
        }
    }

    @Test
    void declineCancelLeaveAndTheEndOfAConference() {
        String alice = unique("alice"), bob = unique("bob"), carol = unique("carol"), dave = unique("dave");
        var created = conference(alice, bob, carol, dave);
        String conferenceId = created.getString("conferenceId");
        respond(bob, invitationOf(created, bob), "accept").then().statusCode(200);
        respond(carol, invitationOf(created, carol), "decline").then().statusCode(200).body("reason", is("declined"));
        try (SseClient davesPhone = SseClient.connect(Tokens.user(dave))) {
            as(Tokens.user(alice)).body(Map.of("conferenceId", conferenceId)).when().post("/leave").then().statusCode(200);
            as(Tokens.user(bob)).body(Map.of("conferenceId", conferenceId)).when().post("/leave")
                    .then().statusCode(200).body("state", is("ENDED"));
            davesPhone.await("invitation.canceled", invitationOf(created, dave));
            davesPhone.await(e -> "conference.ended".equals(e.name()), Duration.ofSeconds(5));
        }
        cancel(alice, invitationOf(created, dave)).then().statusCode(409).body("state", is("CANCELED"));
    }

    @Test
    void historyIsMergedFromEveryShard() throws InterruptedException {
        String bob = unique("bob");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(invitationOf(conference(unique("caller"), bob), bob));
            Thread.sleep(3);
        }
        Collections.reverse(ids);
        as(Tokens.user(bob)).body(Map.of("direction", "incoming", "limit", 8)).when().post("/listInvitations")
                .then().statusCode(200).body("invitations.invitationId", contains(ids.toArray()));
        long shards = ids.stream().map(id -> Shards.ofConference(id.substring(0, id.lastIndexOf('-')))).distinct().count();
        assertTrue(shards > 1, "the calls came from several shards");
    }

    @Test
    void aReconnectingDeviceReplaysWhatItMissedFromEveryNode() {
        String bob = unique("bob");
        String resumeFrom = SseClient.positionNow(Tokens.user(bob));
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            missed.add(invitationOf(conference(unique("caller"), bob), bob));
        }
        try (SseClient phone = SseClient.connect(Tokens.user(bob), resumeFrom)) {
            for (String invitationId : missed) {
                phone.await("invitation.received", invitationId);
            }
            for (String invitationId : missed) {
                assertEquals(1, phone.received("invitation.received", invitationId).size());
            }
        }
    }

    @Test
    void unansweredCallsExpireOnceAndWebhooksArriveSigned() throws InterruptedException {
        String alice = unique("alice"), bob = unique("bob");
        try (SseClient caller = SseClient.connect(Tokens.user(alice))) {
            var created = Api.call(Tokens.user(alice), "createConference", Map.of("settings", Map.of("ringTimeoutSeconds", 5),
                    "participants", List.of(Map.of("userId", bob)))).then().statusCode(200).extract().jsonPath();
            String invitationId = invitationOf(created, bob);
            caller.await(e -> "invitation.expired".equals(e.name()) && invitationId.equals(e.invitationId()), Duration.ofSeconds(8));
            Thread.sleep(500);
            assertEquals(1, caller.received("invitation.expired", invitationId).size());

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    !ClusterBackingServices.webhooks().about(bob, "invitation.expired", invitationId).isEmpty());
            var hook = ClusterBackingServices.webhooks().about(bob, "invitation.received", invitationId);
            assertTrue(!hook.isEmpty() && hook.get(0).verified());
            assertNotEquals(0, hook.size());
        }
    }
}
