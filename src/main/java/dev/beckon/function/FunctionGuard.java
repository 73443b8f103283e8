package dev.beckon.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Authenticator;
import dev.beckon.auth.Caller;
import dev.beckon.config.BeckonConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs in front of every Funqy function: only a POST of a non-empty JSON body, and only with a
 * valid token. The verified caller travels to the function in the routing context. Doing this
 * before Funqy means an unauthenticated request is refused before its body is even parsed.
 */
@ApplicationScoped
public class FunctionGuard {

    private static final String CALLER = Caller.class.getName();

    private final Authenticator authenticator;
    private final CurrentVertxRequest currentRequest;
    private final BeckonConfig config;

    public FunctionGuard(Authenticator authenticator, CurrentVertxRequest currentRequest, BeckonConfig config) {
        this.authenticator = authenticator;
        this.currentRequest = currentRequest;
        this.config = config;
    }

    void install(@Observes Router router) {
        for (String function : FunctionCatalog.NAMES) {
            // after the body handler and the body size limit, before Funqy's own route
            router.route("/" + function).order(-1).handler(this::guard);
        }
    }

    private void guard(RoutingContext ctx) {
        if (!config.role().runsFunctions()) {
            ctx.fail(ApiException.notFound("This instance is a gateway; the functions are served by the functions instances."));
            return;
        }
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.fail(405);
            return;
        }
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            ctx.fail(ApiException.invalid("Content-Type must be application/json."));
            return;
        }
        try {
            ctx.put(CALLER, authenticator.fromAuthorizationHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
        } catch (ApiException e) {
            ctx.fail(e);
            return;
        }
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
            ctx.fail(ApiException.invalid("The request body is empty: send one JSON object with Content-Type: application/json."));
            return;
        }
        ctx.next();
    }

    /**
     * Hands a caller that another binding has verified (the CloudEvents binding at {@code POST /},
     * from the event's {@code authtoken}) to the function this request runs.
     */
    public static void admit(RoutingContext ctx, Caller caller) {
        ctx.put(CALLER, caller);
    }

    /** The verified caller of the function being invoked. */
    Caller caller() {
        return currentRequest.getCurrent().get(CALLER);
    }
}
