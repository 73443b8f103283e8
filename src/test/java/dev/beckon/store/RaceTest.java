package dev.beckon.store;

import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** An accept and a cancel sent at the same moment: exactly one wins, and only its events exist. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class RaceTest {

    private static final int INVITATIONS = 200;

    @Test
    void acceptAndCancelRacedOnManyInvitationsHaveExactlyOneWinnerEach() throws Exception {
        String alice = unique("alice");
        List<String> invitees = new ArrayList<>();
        List<String> invitationIds = new ArrayList<>();
        for (int i = 0; i < INVITATIONS; i++) {
            String bob = unique("bob");
            var created = Api.call(Tokens.user(alice), "createConference",
                    Map.of("participants", List.of(Map.of("userId", bob)))).then().statusCode(200).extract().jsonPath();
            invitees.add(bob);
            invitationIds.add(Api.invitationOf(created, bob));
        }

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> accepts = new ArrayList<>();
        List<Future<Integer>> cancels = new ArrayList<>();
        for (int i = 0; i < INVITATIONS; i++) {
            String bob = invitees.get(i), id = invitationIds.get(i);
            Callable<Integer> accept = () -> respond(bob, id, "accept").statusCode();
            Callable<Integer> withdraw = () -> cancel(alice, id).statusCode();
            if (i % 2 == 0) {
                accepts.add(pool.submit(accept));
                cancels.add(pool.submit(withdraw));
            } else {
                cancels.add(pool.submit(withdraw));
                accepts.add(pool.submit(accept));
            }
        }
        int accepted = 0, canceled = 0;
        for (int i = 0; i < INVITATIONS; i++) {
            int a = accepts.get(i).get(), c = cancels.get(i).get();
            assertTrue((a == 200 && c == 409) || (a == 409 && c == 200), "one winner for " + invitationIds.get(i) + ": " + a + "/" + c);
            String winner = a == 200 ? "invitation.accepted" : "invitation.canceled";
            String loser = a == 200 ? "invitation.canceled" : "invitation.accepted";
            String bob = invitees.get(i), id = invitationIds.get(i);
            assertEquals(1, RedisInspector.events(bob, winner, id).size(), id);
            assertEquals(1, RedisInspector.events(alice, winner, id).size(), id);
            assertEquals(0, RedisInspector.events(bob, loser, id).size(), id);
            assertEquals(0, RedisInspector.events(alice, loser, id).size(), id);
            if (a == 200) accepted++; else canceled++;
        }
        pool.shutdown();
        assertEquals(INVITATIONS, accepted + canceled);
    }
}
