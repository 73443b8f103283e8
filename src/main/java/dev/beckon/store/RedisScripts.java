package dev.beckon.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.api.ApiException;
import dev.beckon.config.BeckonConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * Runs Beckon's Lua scripts. Each runs by EVALSHA with a digest computed here, so nothing is
 * loaded per request; a server that does not know the script yet (first call, restart,
 * failover, SCRIPT FLUSH) answers NOSCRIPT and gets one EVAL, which caches it again.
 * <p>
 * Any failure to reach Redis, or a reply that says the server cannot serve now (LOADING,
 * READONLY, CLUSTERDOWN…), becomes 503 {@code unavailable}; other error replies are passed on
 * (an error raised inside a script is a bug and ends as a 500).
 */
@ApplicationScoped
public class RedisScripts {

    private static final Logger LOG = Logger.getLogger(RedisScripts.class);

    private record Loaded(String source, String sha) {
    }

    private final Map<Script, Loaded> scripts = new EnumMap<>(Script.class);

    @Inject
    Redis redis;

    @Inject
    BeckonConfig config;

    @jakarta.annotation.PostConstruct
    void load() {
        String lib = read("lib");
        for (Script script : Script.values()) {
            String source = script.withLib ? lib + "\n" + read(script.file) : read(script.file);
            scripts.put(script, new Loaded(source, sha1(source)));
        }
    }

    /** Runs {@code script} with one key (which decides the Redis Cluster slot) and {@code args}. */
    public Uni<Response> run(Script script, String key, String... args) {
        Loaded loaded = scripts.get(script);
        return send(call(Command.EVALSHA, loaded.sha, key, args))
                .onFailure(RedisScripts::isNoScript)
                .recoverWithUni(() -> send(call(Command.EVAL, loaded.source, key, args)));
    }

    private static Request call(Command command, String body, String key, String[] args) {
        Request request = Request.cmd(command).arg(body).arg(1).arg(key);
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    /** Sends any command with Beckon's timeout and failure mapping. */
    public Uni<Response> send(Request request) {
        return redis.send(request)
                .ifNoItem().after(config.redis().timeout()).fail()
                .onFailure(t -> !isNoScript(t)).transform(RedisScripts::toApiFailure);
    }

    private static boolean isNoScript(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    /** Redis errors that describe the server's state, not the command: retrying later is the remedy. */
    private static final java.util.List<String> TRANSIENT = java.util.List.of("LOADING", "BUSY", "MASTERDOWN", "READONLY",
            "OOM", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "MISCONF");

    private static Throwable toApiFailure(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof io.vertx.redis.client.impl.types.ErrorType && TRANSIENT.stream().noneMatch(message::startsWith)) {
            // an error reply to the command itself: the caller may expect it (NOGROUP…); otherwise it is a bug
            return t;
        }
        LOG.debugf("Redis unavailable: %s", message);
        return ApiException.unavailable("The state store (Redis) is unavailable; retry shortly.");
    }

    private static String read(String name) {
        String path = "scripts/" + name + ".lua";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
