package dev.beckon.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The request schemas at /q/openapi say what the functions do: for every constraint a request
 * schema states (required, type, minimum, maximum, minLength, maxLength, minItems, maxItems,
 * enum, pattern, additionalProperties false), at every depth, a body that breaks only that
 * constraint is refused with an error that names the field. A schema that promised more than
 * the function checks, or named a field the function does not read, fails here.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class SchemaConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Violation(String function, String constraint, String field, ObjectNode body) {
    }

    @Test
    void everyConstraintOfEveryRequestSchemaIsEnforcedNamingTheField() throws Exception {
        JsonNode document = JSON.readTree(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        JsonNode schemas = document.path("components").path("schemas");
        List<Violation> violations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode post = path.getValue().path("post");
            if (post.isMissingNode()) {
                continue;
            }
            String function = path.getKey().substring(1);
            JsonNode schema = resolve(schemas, post.path("requestBody").path("content").path("application/json").path("schema"));
            ObjectNode valid = validBody(function);
            collect(function, schemas, schema, valid, "", "", violations);
        }
        assertTrue(violations.size() > 100, "only " + violations.size() + " constraints found in the document");

        List<String> failures = new ArrayList<>();
        for (Violation violation : violations) {
            Response answer = Api.call(Tokens.user("schema-check"), violation.function(), JSON.writeValueAsString(violation.body()));
            int status = answer.statusCode();
            String message = status >= 400 && status < 500 ? answer.jsonPath().getString("message") : null;
            boolean sizeLimit = violation.constraint().equals("maxItems");
            boolean refused = status == 400 || sizeLimit && status == 413;
            if (!refused || message == null || !message.contains("'" + violation.field() + "'")) {
                failures.add(violation.function() + " " + violation.constraint() + " of '" + violation.field() + "': " + status
                        + " " + answer.asString() + "\n    body " + violation.body());
            }
        }
        System.out.println("Schema conformance: " + violations.size() + " violations sent, " + failures.size() + " not refused as documented");
        assertEquals(List.of(), failures, "every documented constraint is enforced, naming the field");
    }

    /** Every single-constraint violation of {@code schema}, which describes {@code node} inside {@code root}. */
    private static void collect(String function, JsonNode schemas, JsonNode schema, ObjectNode root, String pointer,
            String prefix, List<Violation> out) {
        JsonNode node = root.at(pointer);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (String name : required) {
            out.add(variant(function, "required", prefix + name, root, pointer, copy -> copy.remove(name)));
        }
        if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
            out.add(variant(function, "additionalProperties", prefix + "unexpectedField", root, pointer,
                    copy -> copy.put("unexpectedField", 1)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String path = prefix + name;
            JsonNode property = resolve(schemas, field.getValue());
            String type = type(property);
            out.add(variant(function, "type", path, root, pointer, copy -> copy.set(name, wrongType(type))));
            if (property.has("minimum")) {
                out.add(variant(function, "minimum", path, root, pointer, copy -> copy.put(name, property.get("minimum").asLong() - 1)));
            }
            if (property.has("maximum")) {
                out.add(variant(function, "maximum", path, root, pointer, copy -> copy.put(name, property.get("maximum").asLong() + 1)));
            }
            if (property.path("minLength").asInt() >= 1) {
                out.add(variant(function, "minLength", path, root, pointer, copy -> copy.put(name, "")));
            }
            if (property.has("maxLength")) {
                out.add(variant(function, "maxLength", path, root, pointer,
                        copy -> copy.put(name, "x".repeat(property.get("maxLength").asInt() + 1))));
            }
            if (property.has("enum")) {
                out.add(variant(function, "enum", path, root, pointer, copy -> copy.put(name, "not-one-of-them")));
            }
            if (property.has("pattern")) {
                String bad = notMatching(property.get("pattern").asText());
                out.add(variant(function, "pattern", path, root, pointer, copy -> copy.put(name, bad)));
            }
            if (type.equals("array")) {
                JsonNode items = resolve(schemas, property.path("items"));
                JsonNode sample = node.path(name).path(0);
                if (property.has("minItems") && property.get("minItems").asInt() >= 1) {
                    out.add(variant(function, "minItems", path, root, pointer, copy -> copy.putArray(name)));
                }
                if (property.has("maxItems")) {
                    out.add(variant(function, "maxItems", path, root, pointer, copy -> {
                        ArrayNode many = copy.putArray(name);
                        for (int i = 0; i <= property.get("maxItems").asInt(); i++) {
                            many.add(sample.isMissingNode() ? JSON.getNodeFactory().textNode("x") : sample.deepCopy());
                        }
                    }));
                }
                if (!sample.isMissingNode()) {
                    String element = path + "[0]";
                    String itemType = type(items);
                    out.add(variant(function, "type", element, root, pointer,
                            copy -> ((ArrayNode) copy.get(name)).set(0, wrongType(itemType))));
                    if (items.has("enum")) {
                        out.add(variant(function, "enum", element, root, pointer,
                                copy -> ((ArrayNode) copy.get(name)).set(0, JSON.getNodeFactory().textNode("not-one-of-them"))));
                    }
                    if (items.has("pattern")) {
                        String bad = notMatching(items.get("pattern").asText());
                        out.add(variant(function, "pattern", element, root, pointer,
                                copy -> ((ArrayNode) copy.get(name)).set(0, JSON.getNodeFactory().textNode(bad))));
                    }
                    if (sample.isObject()) {
                        collect(function, schemas, items, root, pointer + "/" + name + "/0", element + ".", out);
                    }
                }
            }
            if (type.equals("object") && node.path(name).isObject()) {
                collect(function, schemas, property, root, pointer + "/" + name, path + ".", out);
            }
        }
    }

    /** A copy of {@code root} in which the object at the JSON pointer {@code node} is changed by {@code change}. */
    private static Violation variant(String function, String constraint, String field, ObjectNode root, String node,
            java.util.function.Consumer<ObjectNode> change) {
        ObjectNode changed = root.deepCopy();
        change.accept((ObjectNode) changed.at(node));
        return new Violation(function, constraint, field, changed);
    }

    /** A property's own schema: {@code $ref} (also inside allOf) followed to the component. */
    private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
        JsonNode ref = schema.has("$ref") ? schema.get("$ref") : schema.path("allOf").path(0).path("$ref");
        if (ref.isMissingNode()) {
            return schema;
        }
        return schemas.path(ref.asText().replace("#/components/schemas/", ""));
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.asText("object");
    }

    private static JsonNode wrongType(String type) {
        return switch (type) {
            case "string" -> JSON.getNodeFactory().numberNode(42);
            case "integer", "number" -> JSON.getNodeFactory().textNode("7");
            case "boolean" -> JSON.getNodeFactory().textNode("true");
            case "array" -> JSON.getNodeFactory().textNode("x");
            default -> JSON.getNodeFactory().numberNode(5);
        };
    }

    /** A string the pattern does not match anywhere (JSON Schema patterns are searched, not anchored). */
    private static String notMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (String candidate : List.of("not valid!", " ", "", "!!", "\u00e9\u00e9")) {
            if (!pattern.matcher(candidate).find()) {
                return candidate;
            }
        }
        throw new AssertionError("no sample string breaks the pattern " + regex);
    }

    /** A body the function accepts as valid, with every nested object present so that its constraints are reached too. */
    private static ObjectNode validBody(String function) {
        ObjectNode body = JSON.createObjectNode();
        switch (function) {
            case "createConference" -> {
                body.put("alias", "standup").put("protected", false).put("callType", "audio_call").put("message", "hi")
                        .put("roomUrl", "https://meet.example/r");
                body.putObject("settings").put("ringTimeoutSeconds", 30).put("canInviteDuringCall", true)
                        .put("onlyInitiatorCanInvite", false).put("maxInviteesPerRequest", 9).put("busyPolicy", "ring");
                ObjectNode invitee = body.putArray("participants").addObject().put("userId", "schema-bob").put("name", "Bob")
                        .put("avatarUrl", "https://example.test/bob.png");
                invitee.putArray("permissions").add("JOIN");
            }
            case "invite" -> {
                body.put("conferenceId", "no-such-conference").put("message", "join").put("ringTimeoutSeconds", 20);
                ObjectNode invitee = body.putArray("invitees").addObject().put("userId", "schema-carol").put("name", "Carol")
                        .put("avatarUrl", "https://example.test/carol.png");
                invitee.putArray("permissions").add("JOIN");
            }
            case "respond" -> body.put("invitationId", "no-such-invitation").put("action", "decline").put("reason", "busy")
                    .put("message", "later");
            case "cancel" -> body.put("invitationId", "no-such-invitation");
            case "getConference", "leave" -> body.put("conferenceId", "no-such-conference");
            case "listInvitations" -> body.put("direction", "incoming").put("pendingOnly", true).put("limit", 10);
            case "presence" -> body.putArray("userIds").add("schema-bob");
            case "registerDevice" -> {
                body.put("platform", "webpush").put("label", "laptop");
                ObjectNode subscription = body.putObject("subscription").put("endpoint", "https://push.example.test/x");
                subscription.putNull("expirationTime");
                subscription.putObject("keys").put("p256dh", p256dh()).put("auth", base64Url(new byte[16]));
            }
            case "unregisterDevice" -> body.put("deviceId", "no-such-device");
            case "listDevices" -> {
            }
            default -> throw new AssertionError("no valid body for " + function + ": add one here");
        }
        return body;
    }

    private static String p256dh() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
            byte[] point = new byte[65];
            point[0] = 4;
            copy(key.getW().getAffineX(), point, 1);
            copy(key.getW().getAffineY(), point, 33);
            return base64Url(point);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, offset + 32 - length, length);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
