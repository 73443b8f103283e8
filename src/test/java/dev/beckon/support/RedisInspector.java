package dev.beckon.support;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.redis.EmbeddedRedisServer;

/** Looks at what Beckon left in Redis: keys, TTLs and the per-user event streams. */
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
        List<JsonNode> events = new ArrayList<>();
        for (String key : keys("bk:{*}:ev:" + userId)) {
            for (Object entry : (List<?>) redis().call("XRANGE", key, "-", "+")) {
                List<?> fields = (List<?>) ((List<?>) entry).get(1);
                try {
                    events.add(JSON.readTree((String) fields.get(1)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return events;
    }

    /** The events of one type about one invitation that {@code userId} received. */
    public static List<JsonNode> events(String userId, String type, String invitationId) {
        return events(userId).stream()
                .filter(e -> e.get("type").asText().equals(type))
                .filter(e -> invitationId.equals(e.path("data").path("invitationId").asText()))
                .toList();
    }
}
