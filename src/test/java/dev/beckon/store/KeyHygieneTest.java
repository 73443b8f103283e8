package dev.beckon.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Nothing Beckon writes lives forever, and each conference stays in one Redis Cluster slot. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class KeyHygieneTest {

    @Test
    void everyKeyHasATtl() {
        String alice = unique("alice"), bob = unique("bob");
        var created = conference(alice, bob);
        respond(bob, invitationOf(created, bob), "accept").then().statusCode(200);
        Api.call(Tokens.user(alice), "leave", Map.of("conferenceId", created.getString("conferenceId"))).then().statusCode(200);

        List<String> keys = RedisInspector.keys("*");
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            long ttl = RedisInspector.pttl(key);
            // -2: the key went away between listing and checking (an index emptied by the sweeper), which is fine
            assertTrue(ttl > 0 || ttl == -2, key + " has no TTL (" + ttl + ")");
        }
    }

    @Test
    void aConferencesKeysShareOneHashSlot() {
        String alice = unique("alice"), bob = unique("bob");
        String conferenceId = conference(alice, bob).getString("conferenceId");
        List<String> keys = RedisInspector.keys("*" + conferenceId + "*");
        assertFalse(keys.isEmpty());
        String tag = keys.get(0).substring(keys.get(0).indexOf('{'), keys.get(0).indexOf('}') + 1);
        for (String key : keys) {
            assertTrue(key.contains(tag), key + " is outside " + tag);
        }
        for (String key : RedisInspector.keys("bk:" + tag + ":*:" + bob)) {
            assertTrue(key.contains(tag));
        }
        assertFalse(RedisInspector.keys("bk:" + tag + ":ev:" + bob).isEmpty(), "bob's events sit in the conference's slot");
    }
}
