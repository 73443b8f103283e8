package dev.beckon.store;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.api.ApiException;
import dev.beckon.config.BeckonConfig;
import dev.beckon.redis.ClusterCommandLimit;
import dev.beckon.redis.RedisTopology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Runs Beckon's Lua scripts. Each runs by EVALSHA with a digest computed here, so nothing is
 * loaded per request; a server that does not know the script yet (first call, restart,
 * failover, SCRIPT FLUSH) answers NOSCRIPT and gets one EVAL, which caches it again.
 * <p>
 * On a single Redis 7 or newer, the state steps run as functions of one library instead (see
 * {@link ScriptSources}): FCALL, where the library's helpers were defined once when it loaded,
 * not on every call. A server without the library (first call, restart without persistence,
 * FUNCTION FLUSH) answers that the function is not found and gets FUNCTION LOAD, then the call
 * again; a server without functions (Redis 6.2) answers that FCALL is unknown, and from then on
 * the steps run as scripts. A Redis Cluster runs them as scripts too: a library would have to be
 * loaded on every primary, and kept there through failovers and resharding.
 * <p>
 * Any failure to reach Redis, or a reply that says the server cannot serve now (LOADING,
 * READONLY, CLUSTERDOWN…), becomes 503 {@code unavailable}; other error replies are passed on
 * (an error raised inside a script is a bug and ends as a 500).
 */
@ApplicationScoped
public class RedisScripts {

    private static final Logger LOG = Logger.getLogger(RedisScripts.class);

    private final Map<Script, Loaded> scripts = new EnumMap<>(Script.class);

    /** The state steps as functions; null against a cluster, or once the server turned out to have none. */
    private volatile ScriptSources.Library library;

    @Inject
    Redis redis;

    @Inject
    BeckonConfig config;

    @Inject
    RedisTopology topology;

    /** Against Redis Cluster, commands of different slots cannot share a pipeline. */
    private boolean clustered;

    /** Against Redis Cluster, at most a pool's worth of commands at once (see ClusterCommandLimit); null otherwise. */
    private ClusterCommandLimit clusterLimit;

    @PostConstruct
    void load() {
        clustered = topology.clustered();
        if (clustered) {
            // a couple of connections stay free for the client's own use (health checks)
            clusterLimit = new ClusterCommandLimit(topology.poolSize() - 2, topology.poolWaiting());
        }
        ScriptSources sources = new ScriptSources();
        for (Script script : Script.values()) {
            String source = sources.script(script.file);
            scripts.put(script, new Loaded(source, ScriptSources.sha1(source)));
        }
        if (!clustered) {
            library = sources.library(List.of(Script.values()));
        }
    }

    /** A script as Redis runs it, for a caller that sends it on a connection of its own. */
    public record Loaded(String source, String sha) {
    }

    public Loaded loaded(Script script) {
        return scripts.get(script);
    }

    /** Runs {@code script} with one key (which decides the Redis Cluster slot) and {@code args}. */
    public Uni<Response> run(Script script, String key, String... args) {
        String function = function(script);
        if (function == null) {
            return runScript(script, key, args);
        }
        return asFunction(() -> send(call(Command.FCALL, function, key, args)), () -> runScript(script, key, args));
    }

    /**
     * Calls a function; when the server lacks the library, loads it and calls again, and when it has
     * no functions at all, runs {@code asScript} instead.
     */
    private <T> Uni<T> asFunction(Supplier<Uni<T>> call, Supplier<Uni<T>> asScript) {
        return call.get().onFailure(RedisScripts::isNoFunction)
                .recoverWithUni(() -> loadLibrary().chain(loaded -> loaded ? call.get() : asScript.get()));
    }

    private Uni<Response> runScript(Script script, String key, String... args) {
        Loaded loaded = scripts.get(script);
        return send(call(Command.EVALSHA, loaded.sha, key, args))
                .onFailure(RedisScripts::isNoScript)
                .recoverWithUni(() -> send(call(Command.EVAL, loaded.source, key, args)));
    }

    /** The function that runs {@code script}, or null when it runs as a script. */
    private String function(Script script) {
        ScriptSources.Library functions = library;
        return functions == null ? null : functions.functions().get(script);
    }

    /**
     * Loads the library (again); true when the server has it now, false when it has no functions,
     * which sends every later call down the script path.
     */
    private Uni<Boolean> loadLibrary() {
        ScriptSources.Library functions = library;
        if (functions == null) {
            return Uni.createFrom().item(false);
        }
        return send(Request.cmd(Command.FUNCTION).arg("LOAD").arg("REPLACE").arg(functions.source()))
                .replaceWith(true)
                .onFailure(RedisScripts::isUnknownCommand).recoverWithItem(unknown -> {
                    LOG.infof("Redis has no functions (%s): the state steps run as scripts", unknown.getMessage());
                    library = null;
                    return false;
                });
    }

    private static Request call(Command command, String body, String key, String[] args) {
        Request request = Request.cmd(command).arg(body).arg(1).arg(key);
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    /** One call of a script: its key and arguments. */
    public record Call(String key, String[] args) {
    }

    /**
     * Runs {@code script} several times, e.g. once in every shard. Against a single Redis the
     * calls go out as one pipelined batch on one connection; against a cluster, where the keys
     * live on different nodes, in parallel.
     */
    public Uni<List<Response>> runEach(Script script, List<Call> calls) {
        Loaded loaded = scripts.get(script);
        if (!clustered) {
            String function = function(script);
            if (function != null) {
                return asFunction(() -> sendTogether(batch(Command.FCALL, function, calls)), () -> runEach(script, calls));
            }
            return sendTogether(batch(Command.EVALSHA, loaded.sha, calls))
                    .onFailure(RedisScripts::isNoScript).recoverWithUni(() -> runEachSeparately(script, calls));
        }
        return runEachSeparately(script, calls);
    }

    private static List<Request> batch(Command command, String body, List<Call> calls) {
        List<Request> batch = new ArrayList<>(calls.size());
        for (Call call : calls) {
            batch.add(call(command, body, call.key(), call.args()));
        }
        return batch;
    }

    private Uni<List<Response>> runEachSeparately(Script script, List<Call> calls) {
        List<Uni<Response>> running = new ArrayList<>(calls.size());
        for (Call call : calls) {
            running.add(run(script, call.key(), call.args()));
        }
        return Uni.join().all(running).andFailFast();
    }

    /** Sends commands that touch different slots: as one batch against a single Redis, else in parallel. */
    public Uni<List<Response>> sendEach(List<Request> requests) {
        if (!clustered) {
            return sendTogether(requests);
        }
        List<Uni<Response>> calls = new ArrayList<>(requests.size());
        for (Request request : requests) {
            calls.add(send(request));
        }
        return Uni.join().all(calls).andFailFast();
    }

    /**
     * Sends commands in one round trip, in order: commands of one key (so of one slot), or any
     * commands against a single Redis.
     */
    public Uni<List<Response>> sendTogether(List<Request> requests) {
        return limited(() -> redis.batch(requests))
                .ifNoItem().after(config.redis().timeout()).fail()
                .onFailure(t -> !isNoScript(t)).transform(RedisScripts::toApiFailure);
    }

    /** Sends any command with Beckon's timeout and failure mapping. */
    public Uni<Response> send(Request request) {
        return limited(() -> redis.send(request))
                .ifNoItem().after(config.redis().timeout()).fail()
                .onFailure(t -> !isNoScript(t)).transform(RedisScripts::toApiFailure);
    }

    private <T> Uni<T> limited(Supplier<Uni<T>> command) {
        return clusterLimit == null ? command.get() : clusterLimit.run(command);
    }

    private static boolean isNoScript(Throwable t) {
        // a batch reports it as "ERR [i] NOSCRIPT …"
        return t.getMessage() != null && t.getMessage().contains("NOSCRIPT");
    }

    /** The server lacks the library ("Function not found") or functions altogether (FCALL unknown). */
    private static boolean isNoFunction(Throwable t) {
        return t.getMessage() != null && (t.getMessage().contains("Function not found") || isUnknownCommand(t));
    }

    private static boolean isUnknownCommand(Throwable t) {
        return t.getMessage() != null && t.getMessage().contains("unknown command");
    }

    /**
     * Errors that describe the server's or the connection's state, not the command: retrying later
     * is the remedy. CONNECTION_CLOSED is the client's own, for requests cut off with their connection.
     */
    private static final List<String> TRANSIENT = List.of("LOADING", "BUSY", "MASTERDOWN", "READONLY",
            "OOM", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "MISCONF", "CONNECTION_CLOSED", "ILLEGAL_STATE");

    /** A 503 can repeat on every call while Redis is away: say why, at most once per 10 s. */
    private static final RateLimitedWarning UNAVAILABLE_WARNING = new RateLimitedWarning(java.time.Duration.ofSeconds(10), System::nanoTime);

    private static volatile boolean stopping;

    void started(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        stopping = false;
    }

    void stopping(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    private static Throwable toApiFailure(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // a batch reports the failure of its command i as "ERR [i] <failure>", a connection
        // reset in the middle of it as "ERR [i] java.net.SocketException: …"
        String failure = message.startsWith("ERR [") && message.indexOf("] ") > 0 ? message.substring(message.indexOf("] ") + 2) : message;
        if (t instanceof ErrorType && !failure.startsWith("java.") && TRANSIENT.stream().noneMatch(failure::startsWith)) {
            // an error reply to the command itself: the caller may expect it (NOGROUP…); otherwise it is a bug
            return t;
        }
        if (stopping) {
            // the Redis client closes as the application stops; nothing for an operator to do
            LOG.debugf("Redis call cut off by the stop: %s", message);
        } else {
            String line = UNAVAILABLE_WARNING.line("Answering 503: Redis is unavailable: " + message);
            if (line != null) {
                LOG.warn(line);
            }
        }
        return ApiException.unavailable("The state store (Redis) is unavailable; retry shortly.");
    }
}
