package dev.beckon.webhook;

import dev.beckon.store.Presence;
import dev.beckon.store.RedisScripts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * Whether a user has an open session, read with the gateway's own presence script, key and
 * lease, but on the webhook connections, so preparing a webhook takes nothing from the
 * functions' Redis pool.
 */
final class PresenceLookup {

    private final RedisLink redis;
    private final RedisScripts.Loaded script;

    PresenceLookup(RedisLink redis, RedisScripts.Loaded script) {
        this.redis = redis;
        this.script = script;
    }

    /** Whether {@code userId} has at least one session counting now. */
    Uni<Boolean> online(String userId) {
        return redis.send(call(Command.EVALSHA, script.sha(), userId))
                .onFailure(f -> String.valueOf(f.getMessage()).contains("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(call(Command.EVAL, script.source(), userId)))
                .map(count -> count.toLong() > 0);
    }

    private static Request call(Command command, String script, String userId) {
        return Request.cmd(command).arg(script).arg(1).arg(Presence.key(userId)).arg(Presence.LEASE.toMillis()).arg("add");
    }
}
