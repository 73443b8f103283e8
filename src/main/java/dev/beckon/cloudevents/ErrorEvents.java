package dev.beckon.cloudevents;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.api.ApiException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a failed CloudEvent with a {@code dev.beckon.error} event, in the mode it came in, whose
 * data is the error JSON plus {@code status}.
 * <p>
 * The HTTP status is 200 for the caller's own mistakes (4xx): a Knative Broker treats any other
 * answer as a failed delivery, retries it and drops the reply, and retrying a refused event would
 * only be refused again. Beckon's own failures (503 Redis unreachable, 500) keep their status, so
 * the Broker retries them, which the contract says is safe.
 */
@ApplicationScoped
public class ErrorEvents {

    private final ObjectMapper json;

    public ErrorEvents(ObjectMapper json) {
        this.json = json;
    }

    void write(RoutingContext ctx, Mode mode, String function, ApiException error) {
        int status = error.code().status;
        ObjectNode data = json.valueToTree(error.body());
        data.put("status", status);
        String id = UUID.randomUUID().toString();
        String source = function == null ? "/functions" : EventTypes.source(function);

        HttpServerResponse response = ctx.response().setStatusCode(status >= 500 ? status : 200);
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        if (mode == Mode.BINARY) {
            response.putHeader("ce-specversion", "1.0")
                    .putHeader("ce-id", id)
                    .putHeader("ce-source", source)
                    .putHeader("ce-type", EventTypes.ERROR)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(data.toString());
            return;
        }
        ObjectNode event = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id)
                .put("source", source)
                .put("type", EventTypes.ERROR)
                .put("datacontenttype", "application/json");
        event.set("data", data);
        response.putHeader(HttpHeaders.CONTENT_TYPE, Mode.STRUCTURED_TYPE).end(event.toString());
    }
}
