package dev.beckon.cloudevents;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorResponder;
import dev.beckon.auth.Authenticator;
import dev.beckon.auth.Caller;
import dev.beckon.config.BeckonConfig;
import dev.beckon.function.FunctionGuard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs in front of Funqy's CloudEvents binding at {@code POST /}, as {@link FunctionGuard} does in
 * front of {@code POST /<name>}: the event's type must name a function and its {@code authtoken}
 * must be a valid user or server token before Funqy reads the data or runs anything, so an event
 * without one changes nothing. Every failure of an event, here or in the function, is answered
 * with a {@code dev.beckon.error} event.
 */
@ApplicationScoped
public class CloudEventGuard {

    private static final String FUNCTION = CloudEventGuard.class.getName() + ".function";

    private final Authenticator authenticator;
    private final BeckonConfig config;
    private final ObjectMapper json;
    private final ErrorEvents errors;

    public CloudEventGuard(Authenticator authenticator, BeckonConfig config, ObjectMapper json, ErrorEvents errors) {
        this.authenticator = authenticator;
        this.config = config;
        this.json = json;
        this.errors = errors;
    }

    /**
     * Observed before {@link ErrorResponder} installs its router-wide failure handler: both take
     * the first place, and of two routes of the same order Vert.x runs the one added first.
     */
    void install(@Observes @Priority(1) Router router) {
        router.route("/").order(Integer.MIN_VALUE).failureHandler(this::failed);
        // after the body handler and its size limit, before Funqy's own route
        router.route("/").order(-1).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        var mode = Mode.of(ctx.request());
        if (mode.isEmpty()) {
            ctx.fail(ApiException.notFound("POST / takes CloudEvents of type dev.beckon.<function>, in binary mode (ce-* headers) "
                    + "or structured mode (Content-Type: application/cloudevents+json); a function alone is POST /<function>."));
            return;
        }
        if (!config.role().runsFunctions()) {
            ctx.fail(ApiException.notFound("This instance is a gateway; the functions are served by the functions instances."));
            return;
        }
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.fail(405);
            return;
        }
        try {
            InboundEvent event = InboundEvent.read(ctx, mode.get(), json);
            Caller caller = authenticate(event.authToken());
            String function = EventTypes.function(event.type()).orElseThrow(() -> ApiException.notFound(
                    "No function takes CloudEvents of type '" + event.type() + "': the types are dev.beckon.<function>, "
                            + "for example dev.beckon.createConference."));
            ctx.put(FUNCTION, function);
            event.checkData(ctx, json);
            FunctionGuard.admit(ctx, caller);
        } catch (ApiException e) {
            ctx.fail(e);
            return;
        }
        ctx.next();
    }

    private Caller authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthenticated("Missing token: send the caller's JWT in the CloudEvent extension attribute "
                    + "'authtoken' (binary mode: header ce-authtoken).");
        }
        return authenticator.fromToken(token.trim());
    }

    private void failed(RoutingContext ctx) {
        var mode = Mode.of(ctx.request());
        if (mode.isEmpty() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        errors.write(ctx, mode.get(), ctx.get(FUNCTION), ErrorResponder.toApiException(ctx.failure(), ctx.statusCode()));
    }
}
