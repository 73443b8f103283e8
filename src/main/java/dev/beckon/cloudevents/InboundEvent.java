package dev.beckon.cloudevents;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The attributes of a CloudEvent delivered to {@code POST /}, read before anything runs: the
 * required context attributes, the {@code authtoken} extension and whether the data is the JSON
 * object a function takes. Funqy reads the data itself afterwards; this only refuses what it
 * would choke on, with the contract's 400.
 */
record InboundEvent(Mode mode, String type, String authToken, JsonNode structured, Buffer body) {

    static final String AUTH_TOKEN = "authtoken";

    /** The event {@code ctx} carries in {@code mode}; its context attributes checked, its data not yet. */
    static InboundEvent read(RoutingContext ctx, Mode mode, ObjectMapper json) {
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (mode == Mode.BINARY) {
            MultiMap headers = ctx.request().headers();
            for (String attribute : new String[] { "specversion", "id", "source", "type" }) {
                required(headers.get("ce-" + attribute), "header ce-" + attribute);
            }
            specVersion(headers.get("ce-specversion"));
            return new InboundEvent(mode, headers.get("ce-type"), headers.get("ce-" + AUTH_TOKEN), null, body);
        }
        JsonNode event = object(body, json, "The structured CloudEvent is not valid JSON: send one JSON object.");
        for (String attribute : new String[] { "specversion", "id", "source", "type" }) {
            JsonNode value = event.get(attribute);
            required(value != null && value.isTextual() ? value.asText() : null, "attribute '" + attribute + "'");
        }
        specVersion(event.get("specversion").asText());
        JsonNode token = event.get(AUTH_TOKEN);
        return new InboundEvent(mode, event.get("type").asText(), token != null && token.isTextual() ? token.asText() : null,
                event, body);
    }

    /** Refuses data that is not one JSON object, the body a function takes. */
    void checkData(RoutingContext ctx, ObjectMapper json) {
        if (mode == Mode.BINARY) {
            String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
                throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "A binary-mode event's data must be JSON: send Content-Type: application/json.");
            }
            object(body, json, "The event's data is not valid JSON: send the function's body, one JSON object.");
            return;
        }
        JsonNode contentType = structured.get("datacontenttype");
        if (contentType != null && !(contentType.isTextual() && contentType.asText().toLowerCase().startsWith("application/json"))) {
            throw ApiException.invalid("Attribute 'datacontenttype' must be application/json.");
        }
        if (structured.has("data_base64")) {
            throw ApiException.invalid("Attribute 'data_base64' is not taken: send the function's body as 'data', one JSON object.");
        }
        JsonNode data = structured.get("data");
        if (data == null || !data.isObject()) {
            throw ApiException.invalid("Attribute 'data' must be the function's body, one JSON object.");
        }
    }

    private static JsonNode object(Buffer body, ObjectMapper json, String message) {
        if (body == null || body.length() == 0) {
            throw ApiException.invalid(message);
        }
        try {
            JsonNode node = json.readTree(body.getBytes());
            if (node == null || !node.isObject()) {
                throw ApiException.invalid(message);
            }
            return node;
        } catch (IOException e) {
            throw ApiException.invalid(message);
        }
    }

    private static void required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("A CloudEvent needs " + name + ".");
        }
    }

    private static void specVersion(String version) {
        if (!"1.0".equals(version)) {
            throw ApiException.invalid("CloudEvents spec version '" + version + "' is not taken: send specversion 1.0.");
        }
    }
}
