package dev.beckon.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * Whether a user has an open session, read with the gateway's own presence script
 * ({@code scripts/presence.lua}, key {@code bk:pr:{<user>}}, the gateway's 30 s lease) but on
 * the webhook connections, so preparing a webhook takes nothing from the functions' Redis pool.
 */
final class PresenceLookup {

    static final String SCRIPT = "scripts/presence.lua";
    static final Duration LEASE = Duration.ofSeconds(30);

    private final RedisLink redis;
    private final String source;
    private final String sha;

    PresenceLookup(RedisLink redis) {
        this.redis = redis;
        this.source = read(SCRIPT);
        this.sha = sha1(source);
    }

    /** Whether {@code userId} has at least one session counting now. */
    Uni<Boolean> online(String userId) {
        return redis.send(call(Command.EVALSHA, sha, userId))
                .onFailure(f -> String.valueOf(f.getMessage()).contains("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(call(Command.EVAL, source, userId)))
                .map(count -> count.toLong() > 0);
    }

    private static Request call(Command command, String script, String userId) {
        return Request.cmd(command).arg(script).arg(1).arg("bk:pr:{" + userId + "}").arg(LEASE.toMillis()).arg("add");
    }

    private static String read(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
