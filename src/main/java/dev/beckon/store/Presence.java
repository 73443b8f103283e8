package dev.beckon.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Who has open sessions, across every gateway instance: per user a sorted set of session ids
 * scored by the end of their lease. Gateways renew their sessions' leases with each heartbeat,
 * so the sessions of a gateway that crashed stop counting within {@link #LEASE}.
 */
@ApplicationScoped
public class Presence {

    public static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    RedisScripts scripts;

    /** A user's online state: whether any session counts, and how many. */
    @RegisterForReflection
    @Schema(name = "PresenceState")
    public record State(boolean online, int sessions) {
    }

    public Uni<Long> add(String userId, List<String> sessionIds) {
        return update(userId, "add", sessionIds);
    }

    public Uni<Long> remove(String userId, String sessionId) {
        return update(userId, "remove", List.of(sessionId));
    }

    public Uni<State> of(String userId) {
        return update(userId, "add", List.of()).map(count -> new State(count > 0, count.intValue()));
    }

    /** Several users' states in one round trip against a single Redis (in parallel on a cluster). */
    public Uni<Map<String, State>> of(List<String> userIds) {
        List<RedisScripts.Call> lookups = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            lookups.add(new RedisScripts.Call(key(userId), arguments("add", List.of())));
        }
        return scripts.runEach(Script.PRESENCE, lookups).map(counts -> {
            Map<String, State> byUser = new LinkedHashMap<>();
            for (int i = 0; i < userIds.size(); i++) {
                long count = counts.get(i).toLong();
                byUser.put(userIds.get(i), new State(count > 0, (int) count));
            }
            return byUser;
        });
    }

    private Uni<Long> update(String userId, String action, List<String> sessionIds) {
        return scripts.run(Script.PRESENCE, key(userId), arguments(action, sessionIds)).map(reply -> reply.toLong());
    }

    /** The Redis key of a user's presence (in the user's own slot). */
    public static String key(String userId) {
        return "bk:pr:{" + userId + "}";
    }

    private static String[] arguments(String action, List<String> sessionIds) {
        String[] args = new String[2 + sessionIds.size()];
        args[0] = Long.toString(LEASE.toMillis());
        args[1] = action;
        for (int i = 0; i < sessionIds.size(); i++) {
            args[2 + i] = sessionIds.get(i);
        }
        return args;
    }
}
