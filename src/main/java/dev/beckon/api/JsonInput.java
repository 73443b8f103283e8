package dev.beckon.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strict reader of one JSON object of a request. Types are never coerced (a number where a
 * string is expected is an error), unknown fields are rejected so typos surface, and every
 * message names the offending field by its path, e.g. {@code participants[2].userId}.
 */
public final class JsonInput {

    /** User ids of the application: what the contract allows in a token's {@code sub}. */
    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");

    private final ObjectNode node;
    private final String path;

    private JsonInput(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The request body; a missing body or anything but an object is rejected. */
    public static JsonInput body(JsonNode body, String... allowedFields) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.invalid("The request body is required: send a JSON object.");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object.");
        }
        JsonInput input = new JsonInput((ObjectNode) body, "");
        input.allowOnly(allowedFields);
        return input;
    }

    private void allowOnly(String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.invalid("Unknown field '" + field(name) + "'; allowed here: " + String.join(", ", names) + ".");
            }
        }
    }

    private String field(String name) {
        return path + name;
    }

    private JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public boolean has(String name) {
        return present(name) != null;
    }

    public String requiredString(String name, int maxLength) {
        String value = optionalString(name, maxLength);
        if (value == null) {
            throw ApiException.invalid("'" + field(name) + "' is required.");
        }
        return value;
    }

    /** A string of 1..maxLength characters, or null when absent. */
    public String optionalString(String name, int maxLength) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("'" + field(name) + "' must be a string.");
        }
        String text = value.textValue();
        if (text.isEmpty()) {
            throw ApiException.invalid("'" + field(name) + "' must not be empty.");
        }
        if (text.length() > maxLength) {
            throw ApiException.invalid("'" + field(name) + "' must be at most " + maxLength + " characters.");
        }
        if (!isWellFormed(text)) {
            throw ApiException.invalid("'" + field(name) + "' must be valid Unicode text without control characters.");
        }
        return text;
    }

    /**
     * Any non-empty string: for ids, where an unknown value is a 404 rather than a 400. An empty
     * one is a 400, since it is what a client sends when its variable holding the id came up empty.
     */
    public String requiredId(String name) {
        JsonNode value = present(name);
        if (value == null) {
            throw ApiException.invalid("'" + field(name) + "' is required.");
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("'" + field(name) + "' must be a string.");
        }
        if (value.textValue().isBlank()) {
            throw ApiException.invalid("'" + field(name) + "' must not be empty.");
        }
        return value.textValue();
    }

    public String optionalUserId(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || !USER_ID.matcher(value.textValue()).matches()) {
            throw ApiException.invalid("'" + field(name) + "' must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -");
        }
        return value.textValue();
    }

    public String requiredUserId(String name) {
        String value = optionalUserId(name);
        if (value == null) {
            throw ApiException.invalid("'" + field(name) + "' is required.");
        }
        return value;
    }

    /** A string that must be one of {@code allowed}, or null when absent. */
    public String optionalChoice(String name, List<String> allowed) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || !allowed.contains(value.textValue())) {
            throw ApiException.invalid("'" + field(name) + "' must be one of " + String.join(", ", allowed) + ".");
        }
        return value.textValue();
    }

    public String requiredChoice(String name, List<String> allowed) {
        String value = optionalChoice(name, allowed);
        if (value == null) {
            throw ApiException.invalid("'" + field(name) + "' is required: one of " + String.join(", ", allowed) + ".");
        }
        return value;
    }

    public String optionalUrl(String name) {
        String value = optionalString(name, 2048);
        if (value != null) {
            try {
                var uri = new java.net.URI(value);
                if (uri.getScheme() == null) {
                    throw new java.net.URISyntaxException(value, "no scheme");
                }
            } catch (java.net.URISyntaxException e) {
                throw ApiException.invalid("'" + field(name) + "' must be an absolute URL.");
            }
        }
        return value;
    }

    public Boolean optionalBoolean(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("'" + field(name) + "' must be true or false.");
        }
        return value.booleanValue();
    }

    /** An integer within [min, max], or null when absent. 30.0 and "30" are not integers. */
    public Integer optionalInt(String name, int min, int max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiException.invalid("'" + field(name) + "' must be an integer from " + min + " to " + max + ".");
        }
        return value.intValue();
    }

    public JsonInput optionalObject(String name, String... allowedFields) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.invalid("'" + field(name) + "' must be an object.");
        }
        JsonInput nested = new JsonInput((ObjectNode) value, field(name) + ".");
        nested.allowOnly(allowedFields);
        return nested;
    }

    /**
     * An array read element by element; null when absent. Arrays longer than {@code maxItems}
     * are rejected with {@code tooLarge} before any element is read.
     */
    public <T> List<T> optionalArray(String name, int maxItems, ApiException tooLarge, Function<Element, T> reader) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiException.invalid("'" + field(name) + "' must be an array.");
        }
        if (value.size() > maxItems) {
            throw tooLarge;
        }
        List<T> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            items.add(reader.apply(new Element(value.get(i), field(name) + "[" + i + "]")));
        }
        return items;
    }

    /** One element of an array, with its path for messages. */
    public record Element(JsonNode value, String path) {

        public JsonInput object(String... allowedFields) {
            if (value == null || !value.isObject()) {
                throw ApiException.invalid("'" + path + "' must be an object.");
            }
            JsonInput nested = new JsonInput((ObjectNode) value, path + ".");
            nested.allowOnly(allowedFields);
            return nested;
        }

        public String choice(List<String> allowed) {
            if (value == null || !value.isTextual() || !allowed.contains(value.textValue())) {
                throw ApiException.invalid("'" + path + "' must be one of " + String.join(", ", allowed) + ".");
            }
            return value.textValue();
        }

        public String userId() {
            if (value == null || !value.isTextual() || !USER_ID.matcher(value.textValue()).matches()) {
                throw ApiException.invalid("'" + path + "' must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -");
            }
            return value.textValue();
        }
    }

    /** Rejects lone surrogates (they cannot be stored as UTF-8) and control characters other than tab and newlines. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
