package dev.beckon.cloudevents;

import java.util.Optional;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The two CloudEvents HTTP content modes Beckon takes at {@code POST /}, as a Knative Broker delivers them. */
public enum Mode {
    /** Attributes in {@code ce-*} headers, the data as the body. */
    BINARY,
    /** The whole event as one JSON object, {@code Content-Type: application/cloudevents+json}. */
    STRUCTURED;

    static final String STRUCTURED_TYPE = "application/cloudevents+json";

    /** The mode {@code request} carries a CloudEvent in, or empty when it carries none. */
    public static Optional<Mode> of(HttpServerRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.toLowerCase().startsWith(STRUCTURED_TYPE)) {
            return Optional.of(STRUCTURED);
        }
        return request.headers().contains("ce-id") ? Optional.of(BINARY) : Optional.empty();
    }
}
