package dev.beckon.gateway;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Authenticator;
import dev.beckon.auth.Caller;
import dev.beckon.config.BeckonConfig;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * {@code GET /events}: the caller's events as Server-Sent Events, one CloudEvent per SSE event
 * ({@code event:} is its type, {@code id:} where to resume). Browsers, which cannot set headers
 * on an EventSource, may pass the token as {@code ?access_token=}.
 */
@Path("/events")
public class EventsResource {

    @Inject
    Authenticator authenticator;

    @Inject
    GatewaySessions sessions;

    @Inject
    BeckonConfig config;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NonBlocking
    public void events(@HeaderParam("Authorization") String authorization, @QueryParam("access_token") String accessToken,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        if (!config.role().runsGateway()) {
            throw ApiException.notFound("This instance runs the functions only; events are served by the gateway.");
        }
        Caller caller = authorization != null || accessToken == null
                ? authenticator.fromAuthorizationHeader(authorization)
                : authenticator.fromToken(accessToken);
        StreamPosition resumeFrom = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resumeFrom = StreamPosition.parse(lastEventId.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("Last-Event-ID is not an event id Beckon issued; reconnect without it to start from now.");
            }
        }
        // proxies must not buffer the stream
        response.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        Session session = sessions.open(caller.subject(), resumeFrom, sink, sse, response, Vertx.currentContext());
        // RESTEasy owns the response's close handler; the channel's close future takes any number of listeners
        // (and the listener goes when the session does: a keep-alive connection may carry many streams in turn)
        if (request.connection() instanceof ConnectionBase connection) {
            ChannelFuture closed = connection.channel().closeFuture();
            GenericFutureListener<Future<? super Void>> listener = f -> session.run(() -> session.close(Session.CloseReason.DISCONNECTED));
            closed.addListener(listener);
            session.onFinish(() -> closed.removeListener(listener));
        }
    }
}
