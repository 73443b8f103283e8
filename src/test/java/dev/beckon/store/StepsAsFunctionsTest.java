package dev.beckon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * On a single Redis 7 the state steps run as functions of one library, which Beckon loads
 * itself; on Redis 6.2, which has no functions, as scripts. Either way a server that lost what
 * Beckon gave it gets it again on the next call, and the call succeeds.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class StepsAsFunctionsTest {

    @Test
    void aCallRunsItsStepsAsFunctionsOnRedis7AndAsScriptsBefore() {
        long fcalls = calls("fcall"), evalshas = calls("evalsha");
        String alice = unique("alice"), bob = unique("bob");
        respond(bob, invitationOf(conference(alice, bob), bob), "accept").then().statusCode(200);

        if (redisMajor() >= 7) {
            String library = RedisInspector.redis().call("FUNCTION", "LIST").toString();
            assertTrue(library.matches("(?s).*beckon_[0-9a-f]{12}_invite.*"), library);
            assertTrue(library.contains("_respond") && library.contains("_ring"), library);
            assertTrue(calls("fcall") - fcalls >= 2, "createConference and respond are FCALLs");
        } else {
            assertEquals(0, calls("fcall"), "Redis 6.2 has no functions");
            assertTrue(calls("evalsha") - evalshas >= 2, "createConference and respond are EVALSHAs");
        }
    }

    @Test
    void aRedisThatLostTheStepsGetsThemAgainOnTheNextCall() {
        if (redisMajor() >= 7) {
            RedisInspector.redis().call("FUNCTION", "FLUSH");
        }
        RedisInspector.redis().call("SCRIPT", "FLUSH");
        String alice = unique("alice"), bob = unique("bob");

        respond(bob, invitationOf(conference(alice, bob), bob), "accept").then().statusCode(200);

        if (redisMajor() >= 7) {
            assertTrue(RedisInspector.redis().call("FUNCTION", "LIST").toString().contains("beckon_"), "the library is back");
        }
    }

    private static int redisMajor() {
        String info = RedisInspector.redis().call("INFO", "server").toString();
        String version = info.substring(info.indexOf("redis_version:") + "redis_version:".length());
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    private static long calls(String command) {
        String info = RedisInspector.redis().call("INFO", "commandstats").toString();
        int at = info.indexOf("cmdstat_" + command + ":calls=");
        if (at < 0) {
            return 0;
        }
        String rest = info.substring(at + ("cmdstat_" + command + ":calls=").length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
    }
}
