package dev.beckon.gateway;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Redis drops pub/sub subscribers (a slow one, a restart, a failover); the gateway must notice,
 * resubscribe and deliver from the streams what went by meanwhile — no loss, no duplicates.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ChannelLossTest {

    @Test
    void nothingIsLostOrDoubledWhenThePubSubConnectionIsKilled() throws InterruptedException {
        String bob = unique("bob");
        try (SseClient phone = SseClient.connect(Tokens.user(bob))) {
            List<String> invitations = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                invitations.add(invitationOf(conference(unique("caller"), bob), bob));
                BackingServices.redis().call("CLIENT", "KILL", "TYPE", "pubsub");
                // while the gateway is reconnecting
                invitations.add(invitationOf(conference(unique("caller"), bob), bob));
                invitations.add(invitationOf(conference(unique("caller"), bob), bob));
                Thread.sleep(100);
            }
            for (String invitationId : invitations) {
                phone.await(e -> "invitation.received".equals(e.name()) && invitationId.equals(e.invitationId()),
                        Duration.ofSeconds(10));
            }
            Thread.sleep(500);
            for (String invitationId : invitations) {
                assertEquals(1, phone.received("invitation.received", invitationId).size(), invitationId + " exactly once");
            }
        }
    }
}
