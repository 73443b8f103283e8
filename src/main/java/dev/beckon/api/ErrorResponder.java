package dev.beckon.api;

import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.funqy.runtime.ApplicationException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every failure on Beckon's routes as the contract's error JSON.
 * <p>
 * Funqy answers a thrown exception with a bare 500 and a malformed body with an empty 400, and
 * the body handler answers an oversized body with an empty 413; all of them fail the routing
 * context, so one router-wide failure handler is the single place that shapes errors.
 */
@ApplicationScoped
public class ErrorResponder {

    private static final Logger LOG = Logger.getLogger(ErrorResponder.class);

    @Inject
    ObjectMapper mapper;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
        // whatever no route answered is a JSON 404 too
        router.route().last().handler(ctx -> ctx.fail(404));
    }

    private void handle(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/q/") || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        ApiException error = toApiException(ctx.failure(), ctx.statusCode());
        write(ctx, error);
    }

    /** Sends {@code error} as the response of {@code ctx}. */
    public void write(RoutingContext ctx, ApiException error) {
        if (ctx.response().headWritten()) {
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal\",\"message\":\"error could not be serialised\"}";
        }
        var response = ctx.response().setStatusCode(error.code().status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        if (error.code() == ErrorCode.METHOD_NOT_ALLOWED) {
            response.putHeader("Allow", "POST");
        }
        response.end(body);
    }

    /**
     * The contract error for any failure. {@code status} is what the failing handler asked for
     * when it failed without an exception (Funqy and the body handler do that).
     */
    public static ApiException toApiException(Throwable failure, int status) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause == null) {
            return switch (status) {
                case 400 -> ApiException.invalid("The request body is not valid JSON: send one JSON object with Content-Type: application/json.");
                case 401 -> ApiException.unauthenticated("Send a valid token as 'Authorization: Bearer <JWT>'.");
                case 403 -> ApiException.forbidden("Not allowed.");
                case 404 -> ApiException.notFound("No such resource.");
                case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "This endpoint only accepts POST.");
                case 406 -> new ApiException(ErrorCode.NOT_ACCEPTABLE,
                        "The Accept header names no media type this endpoint produces; send 'Accept: application/json' or '*/*'.");
                case 413 -> ApiException.tooLarge("The request body is larger than 64 KiB.");
                case 503 -> ApiException.unavailable("Service unavailable, retry shortly.");
                default -> {
                    if (status >= 400 && status < 500) {
                        yield ApiException.invalid("The request was rejected (HTTP " + status + ").");
                    }
                    LOG.errorf("Request failed with status %d and no exception", status);
                    yield new ApiException(ErrorCode.INTERNAL, "Internal error.");
                }
            };
        }
        LOG.error("Unexpected failure", cause);
        return new ApiException(ErrorCode.INTERNAL, "Internal error.");
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ApplicationException || t instanceof CompletionException
                || t instanceof io.quarkus.funqy.runtime.InternalError) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
