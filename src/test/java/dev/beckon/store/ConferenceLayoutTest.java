package dev.beckon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A conference is one string of "\n<field>\t<value>" records, written whole with its TTL; one
 * left by an older version as a hash of the same fields is read as it is and replaced by the
 * string on its next change. On a single Redis a one-to-one call keeps no key for glare.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ConferenceLayoutTest {

    @Inject
    InvitationStates invitations;

    @Test
    void aConferenceIsOneStringWithItsTtl() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        String key = keyOf(invitationId);

        assertEquals("string", RedisInspector.redis().call("TYPE", key));
        String text = (String) RedisInspector.redis().call("GET", key);
        assertTrue(InvitationStates.field(text, invitationId).contains("\"state\":\"PENDING\""), text);
        assertTrue(RedisInspector.pttl(key) > 0);
        assertTrue(invitations.ringing(invitationId, System.currentTimeMillis()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aConferenceKeptAsAHashByAnOlderVersionStillWorksAndBecomesAString() {
        String alice = unique("alice"), bob = unique("bob");
        String invitationId = invitationOf(conference(alice, bob), bob);
        String key = keyOf(invitationId);
        asOlderHash(key);
        assertEquals("hash", RedisInspector.redis().call("TYPE", key));
        assertTrue(invitations.ringing(invitationId, System.currentTimeMillis()).await().atMost(Duration.ofSeconds(5)),
                "the push dispatcher reads the older layout");

        respond(bob, invitationId, "accept").then().statusCode(200)
                .body("state", equalTo("ACCEPTED"))
                .body("from.userId", equalTo(alice));

        assertEquals("string", RedisInspector.redis().call("TYPE", key));
        assertTrue(RedisInspector.pttl(key) > 0, "the TTL stays");
        assertTrue(InvitationStates.field((String) RedisInspector.redis().call("GET", key), invitationId)
                .contains("\"state\":\"ACCEPTED\""));
        respond(bob, invitationId, "decline").then().statusCode(409).body("state", equalTo("ACCEPTED"));
    }

    @Test
    void aOneToOneCallOnASingleRedisKeepsNoPairKeyForGlare() {
        // glare is read from the caller's busy marker here (a cluster keeps bk:{s}:pair:<a>|<b>)
        String alice = unique("alice"), bob = unique("bob");
        invitationOf(conference(alice, bob), bob);
        assertTrue(RedisInspector.keys("bk:*pair:*" + bob + "*").isEmpty());
        assertTrue(RedisInspector.keys("bk:*pair:*" + alice + "*").isEmpty());
    }

    private static String keyOf(String invitationId) {
        String conferenceId = invitationId.substring(0, invitationId.lastIndexOf('-'));
        return Shards.prefix(Shards.ofConference(conferenceId)) + "c:" + conferenceId;
    }

    /** Rewrites the conference at key as the hash an older version kept: the same fields, its TTL kept. */
    private static void asOlderHash(String key) {
        String text = (String) RedisInspector.redis().call("GET", key);
        long ttl = RedisInspector.pttl(key);
        List<String> hset = new ArrayList<>(List.of("HSET", key));
        for (String record : text.substring(1).split("\n")) {
            int tab = record.indexOf('\t');
            hset.add(record.substring(0, tab));
            hset.add(record.substring(tab + 1));
        }
        RedisInspector.redis().call("DEL", key);
        RedisInspector.redis().call(hset.toArray(String[]::new));
        RedisInspector.redis().call("PEXPIRE", key, Long.toString(ttl));
    }
}
