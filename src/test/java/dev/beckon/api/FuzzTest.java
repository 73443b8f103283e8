package dev.beckon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.support.Api;
import dev.beckon.support.AsyncApi;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Throws generated bad input at every function: wrong types, huge and empty strings, odd
 * unicode, nulls, unknown fields, deep nesting, truncated or trailing JSON, wrong content types,
 * oversized bodies, and bad tokens (none, garbage, alg none, another key, expired, another
 * issuer, a subject that is no user id). Never a 5xx, never a change to any conference,
 * invitation or event, and always the contract's error JSON. The seed makes a failure repeatable
 * ({@code -Dfuzz.seed=…}, {@code -Dfuzz.cases=…}).
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class FuzzTest {

    private static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    /** Writes every non-ASCII character as an escape, so lone surrogates reach the server as sent. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final Set<String> READ_ONLY = Set.of("getConference", "listInvitations", "presence");
    private static final Map<Integer, String> CODES = Map.of(400, "invalid_request", 401, "unauthenticated", 403, "forbidden",
            404, "not_found", 405, "invalid_request", 409, "conflict", 413, "too_large", 429, "rate_limited");

    private record Case(int number, String function, String token, String contentType, String body, String how) {
        @Override
        public String toString() {
            return "case " + number + " (" + how + "): POST /" + function + " token=" + (token == null ? "none" : token.substring(0, Math.min(20, token.length())) + "…")
                    + " content-type=" + contentType + " body=" + escaped(body.length() > 900 ? body.substring(0, 900) + "…(" + body.length() + ")" : body);
        }

        /** Control and non-ASCII characters as \\uXXXX, so the case reads as sent. */
        private static String escaped(String text) {
            StringBuilder out = new StringBuilder();
            for (char c : text.toCharArray()) {
                out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return out.toString();
        }
    }

    @Test
    void noGeneratedInputIsA5xxOrChangesAnything() throws Exception {
        // real state for the fuzzed ids to point at: alice rang bob
        String alice = Api.unique("alice"), bob = Api.unique("bob");
        var created = Api.conference(alice, bob);
        String conferenceId = created.getString("conferenceId");
        String invitationId = Api.invitationOf(created, bob);

        Random random = new Random(SEED);
        Generator generator = new Generator(random, conferenceId, invitationId, bob);
        Map<String, Long> before = fingerprint();

        AsyncApi api = new AsyncApi(32);
        List<Case> cases = new ArrayList<>(CASES);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(CASES);
        for (int i = 0; i < CASES; i++) {
            Case c = generator.next(i);
            cases.add(c);
            answers.add(api.post(c.token(), c.function(), c.body(), c.contentType()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            Case c = cases.get(i);
            HttpResponse<String> answer = answers.get(i).join();
            int status = answer.statusCode();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                fail(status + " for " + c + "\n→ " + answer.body());
            }
            if (status < 300) {
                if (!READ_ONLY.contains(c.function())) {
                    fail("bad input was accepted: " + c + "\n→ " + answer.body());
                }
                continue;
            }
            JsonNode error;
            try {
                error = JSON.readTree(answer.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON for " + c + "\n→ " + answer.body(), e);
            }
            if (!CODES.get(status).equals(error.path("error").asText()) || error.path("message").asText().isBlank()
                    || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                fail("not the contract's error for " + c + "\n→ " + status + " " + answer.body());
            }
        }
        System.out.println("Fuzz: " + CASES + " cases, seed " + SEED + ", answers " + statuses);
        assertEquals(before, fingerprint(), "no conference, invitation or event changed");
    }

    /**
     * Every state key with its size. Not the rate limiter's buckets, and not the webhook and push
     * outboxes, which the dispatchers empty as they deliver (the events themselves are in the users' streams).
     */
    private static Map<String, Long> fingerprint() {
        Map<String, Long> keys = new TreeMap<>();
        for (String key : RedisInspector.keys("bk:{*")) {
            if (key.endsWith(":hooks") || key.endsWith(":push")) {
                continue;
            }
            String type = (String) BackingServices.redis().call("TYPE", key);
            String size = switch (type) {
                case "hash" -> "HLEN";
                case "zset" -> "ZCARD";
                case "stream" -> "XLEN";
                case "list" -> "LLEN";
                default -> "STRLEN";
            };
            keys.put(key, (Long) BackingServices.redis().call(size, key));
        }
        return keys;
    }

    /** Makes the cases: a valid request of a random function, then broken in one or more ways. */
    private static final class Generator {

        private static final String DEEP = "__deep__";
        private final StringBuilder how = new StringBuilder();

        private final Random random;
        private final String conferenceId;
        private final String invitationId;
        private final String bob;
        private final List<String> badTokens;
        private final List<String> validTokens;

        Generator(Random random, String conferenceId, String invitationId, String bob) {
            this.random = random;
            this.conferenceId = conferenceId;
            this.invitationId = invitationId;
            this.bob = bob;
            this.badTokens = List.of("", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", Tokens.unsigned("mallory"),
                    Tokens.signedByAnotherKey("mallory"), Tokens.expired("mallory"), Tokens.wrongIssuer("mallory"),
                    Tokens.withSubject("mall ory"), Tokens.withSubject("x".repeat(129)));
            this.validTokens = List.of(Tokens.user("fuzz-1"), Tokens.user("fuzz-2"), Tokens.user("fuzz-3"));
        }

        Case next(int number) {
            String function = pick(List.of("createConference", "invite", "respond", "cancel", "getConference",
                    "listInvitations", "presence", "leave"));
            ObjectNode body = template(function);
            String token = pick(validTokens);
            String contentType = "application/json";
            int shape = random.nextInt(100);
            String text;
            how.setLength(0);
            how.append("shape ").append(shape);
            if (shape < 12) {
                token = random.nextInt(8) == 0 ? null : pick(badTokens);
                text = write(body);
            } else if (shape < 17) {
                contentType = pick(java.util.Arrays.asList("text/plain", "application/x-www-form-urlencoded", "application/xml",
                        "multipart/form-data", null));
                text = write(body);
            } else if (shape < 30) {
                text = malformed(write(body));
            } else if (shape < 32) {
                text = "{\"alias\":\"" + "a".repeat(66_000 + random.nextInt(10_000)) + "\"}";
            } else {
                int mutations = 1 + random.nextInt(3);
                ObjectNode original = body.deepCopy();
                for (int m = 0; m < mutations; m++) {
                    mutate(function, body, original);
                }
                text = write(body).replace("\"" + DEEP + "\"", deep(random.nextInt(2000) + 10));
            }
            return new Case(number, function, token, contentType, text, how.toString());
        }

        private static String write(JsonNode body) {
            try {
                return JSON.writeValueAsString(body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private ObjectNode template(String function) {
            ObjectNode body = JSON.createObjectNode();
            switch (function) {
                case "createConference" -> {
                    body.put("alias", "standup").put("protected", true).put("callType", "audio_call").put("message", "hi")
                            .put("roomUrl", "https://meet.example/r");
                    body.putObject("settings").put("ringTimeoutSeconds", 30).put("canInviteDuringCall", true)
                            .put("onlyInitiatorCanInvite", false).put("maxInviteesPerRequest", 9);
                    ObjectNode invitee = body.putArray("participants").addObject().put("userId", "fuzz-bob").put("name", "Bob");
                    invitee.putArray("permissions").add("JOIN").add("SEND_AUDIO");
                }
                case "invite" -> {
                    body.put("conferenceId", random.nextBoolean() ? conferenceId : randomId());
                    body.putArray("invitees").addObject().put("userId", "fuzz-carol");
                    body.put("message", "join").put("ringTimeoutSeconds", 20);
                }
                case "respond" -> body.put("invitationId", random.nextBoolean() ? invitationId : randomId() + "-1")
                        .put("action", pick(List.of("accept", "decline"))).put("message", "hello");
                case "cancel" -> body.put("invitationId", random.nextBoolean() ? invitationId : randomId() + "-1");
                case "getConference", "leave" -> body.put("conferenceId", random.nextBoolean() ? conferenceId : randomId());
                case "listInvitations" -> body.put("direction", "incoming").put("pendingOnly", true).put("limit", 10);
                default -> body.putArray("userIds").add(bob).add("fuzz-1");
            }
            return body;
        }

        /** One change that makes the body invalid (or, for ids, names nothing). */
        private void mutate(String function, ObjectNode body, ObjectNode original) {
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            int kind = random.nextInt(13);
            how.append(", kind ").append(kind);
            if (fields.isEmpty() || kind == 0) {
                body.set(pick(List.of("unknown", "Alias", "conference_id", "$where", "__proto__")), oddValue());
                return;
            }
            String field = pick(fields);
            how.append(" on ").append(field);
            JsonNode current = body.get(field);
            switch (kind) {
                // a type other than the field's own, whatever earlier mutations put there
                case 1 -> body.set(field, wrongType(original.has(field) ? original.get(field) : current));
                case 2 -> body.put(field, "x".repeat(pick(List.of(2049, 4097, 40_000))));
                case 3 -> body.put(field, "");
                case 4 -> body.put(field, pick(List.of("\ud800", "a\u0000b", "\u0007bell", "zero\u200bwidth\ud83d", "\udfff")));
                case 5 -> body.put(field, DEEP);
                case 6 -> body.remove(field);
                case 7 -> body.putNull(field);
                case 8 -> body.set(field, JSON.getNodeFactory().numberNode(pick(List.of(-1L, 0L, 4L, 601L, 1L << 40, Long.MIN_VALUE))));
                case 9 -> body.set(field, JSON.getNodeFactory().numberNode(3.5));
                case 10 -> body.put("as", pick(List.of("alice", "someone-else", "bad id", "")));
                case 11 -> mutateNested(body);
                default -> body.set(field, JSON.createArrayNode().add(current == null ? JSON.nullNode() : current).add(oddValue()));
            }
            if (function.equals("createConference") && kind == 6 || kind == 7) {
                // removing or nulling an optional field of createConference may leave it valid: break it elsewhere too
                body.put("callType", pick(List.of("fax", "VIDEO_CALL", "video call")));
            }
        }

        private void mutateNested(ObjectNode body) {
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isArray()) {
                    ArrayNode array = (ArrayNode) entry.getValue();
                    switch (random.nextInt(5)) {
                        case 0 -> array.add(oddValue());
                        case 1 -> {
                            for (int i = 0; i < 101; i++) {
                                array.addObject().put("userId", "many" + i);
                            }
                        }
                        case 2 -> array.add(array.size() > 0 ? array.get(0) : JSON.nullNode());
                        case 3 -> array.addObject().put("userId", "bad user").put("extra", 1);
                        default -> array.addObject().putArray("permissions").add("FLY");
                    }
                    return;
                }
                if (entry.getValue().isObject()) {
                    ((ObjectNode) entry.getValue()).set(pick(List.of("ringTimeoutSeconds", "unknown", "maxInviteesPerRequest")),
                            wrongType(JSON.getNodeFactory().numberNode(1)));
                    return;
                }
            }
            body.put("unexpected", true);
        }

        private JsonNode wrongType(JsonNode current) {
            if (current != null && current.isTextual()) {
                return pick(List.of(JSON.getNodeFactory().numberNode(42), JSON.getNodeFactory().booleanNode(true),
                        JSON.createObjectNode(), JSON.createArrayNode().add("x")));
            }
            if (current != null && (current.isNumber() || current.isBoolean())) {
                return pick(List.of(JSON.getNodeFactory().textNode("30"), JSON.createObjectNode(), JSON.getNodeFactory().textNode("true")));
            }
            return pick(List.of(JSON.getNodeFactory().textNode("[]"), JSON.getNodeFactory().numberNode(7),
                    JSON.getNodeFactory().booleanNode(false)));
        }

        private JsonNode oddValue() {
            return pick(List.of(JSON.nullNode(), JSON.getNodeFactory().numberNode(1e308), JSON.getNodeFactory().textNode("\u202e"),
                    JSON.createObjectNode().put("$ne", 1), JSON.createArrayNode()));
        }

        /** Nesting written as text: Jackson itself refuses to write more than 1000 levels. */
        private String deep(int depth) {
            StringBuilder open = new StringBuilder(), close = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                boolean array = random.nextBoolean();
                open.append(array ? "[" : "{\"n\":");
                close.insert(0, array ? "]" : "}");
            }
            return open + "\"bottom\"" + close;
        }

        private String malformed(String json) {
            return switch (random.nextInt(7)) {
                case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length() - 1)));
                case 1 -> json + pick(List.of("}", " {}", "garbage", ",", "]"));
                case 2 -> json.replace(":", pick(List.of("=", "::", ":,")));
                case 3 -> json.replace("\"", "'");
                case 4 -> json.replaceFirst("\\{", "{\"dup\":1,\"dup\":2,");
                case 5 -> pick(List.of("", "null", "[]", "42", "\"text\"", "true", "{}{}", "\u0000", "\uFEFF"));
                default -> new String(randomBytes(), StandardCharsets.ISO_8859_1);
            };
        }

        private byte[] randomBytes() {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            return bytes;
        }

        private String randomId() {
            return pick(List.of("0AAAAAAAAAAAAAAAAAAA", "zzz", "", "../../etc", "{bk}:x", "f" + "A".repeat(19), "9" + "é".repeat(19)));
        }

        private <T> T pick(List<T> options) {
            return options.get(random.nextInt(options.size()));
        }
    }
}
