package dev.beckon.support;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.store.EventLogEntry;
import dev.beckon.store.EventLogScript;
import dev.beckon.store.Shards;

/** Looks at what Beckon left in Redis: keys, TTLs and the per-user event logs (read as a replay reads them). */
public final class RedisInspector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisInspector() {
    }

    public static EmbeddedRedisServer redis() {
        return BackingServices.redis();
    }

    public static List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            @SuppressWarnings("unchecked")
            List<Object> page = (List<Object>) redis().call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) page.get(0);
            for (Object key : (List<?>) page.get(1)) {
                keys.add((String) key);
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    public static long pttl(String key) {
        return (Long) redis().call("PTTL", key);
    }

    /** Every event in {@code userId}'s streams (all shards), oldest first per shard. */
    public static List<JsonNode> events(String userId) {
        return events(redis(), userId);
    }

    /** The same, in another Redis than the tests' shared one. */
    public static List<JsonNode> events(EmbeddedRedisServer redis, String userId) {
        List<JsonNode> events = new ArrayList<>();
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            for (Object entry : (List<?>) redis.call(EventLogScript.readAll(Shards.eventStream(shard, userId)))) {
                try {
                    events.add(JSON.readTree(EventLogEntry.parse((String) entry).cloudEvent(userId)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return events;
    }

    /**
     * The events each (user, invitation) pair holds in the user's stream of the invitation's
     * shard, read in one pipelined round, as lists of event types about that invitation.
     */
    public static List<List<String>> eventTypes(List<String[]> userAndInvitation) {
        List<String[]> commands = new ArrayList<>(userAndInvitation.size());
        for (String[] pair : userAndInvitation) {
            int shard = Shards.ofConference(pair[1].substring(0, pair[1].lastIndexOf('-')));
            commands.add(EventLogScript.readAll(Shards.eventStream(shard, pair[0])));
        }
        List<Object> replies = redis().callAll(commands);
        List<List<String>> types = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            List<String> ofThis = new ArrayList<>();
            for (Object entry : (List<?>) replies.get(i)) {
                EventLogEntry event = EventLogEntry.parse((String) entry);
                if (userAndInvitation.get(i)[1].equals(event.invitationId())) {
                    ofThis.add(event.type());
                }
            }
            types.add(ofThis);
        }
        return types;
    }


    /** The events of one type about one invitation that {@code userId} received. */
    public static List<JsonNode> events(String userId, String type, String invitationId) {
        return events(userId).stream()
                .filter(e -> e.get("type").asText().equals(type))
                .filter(e -> invitationId.equals(e.path("data").path("invitationId").asText()))
                .toList();
    }
}
