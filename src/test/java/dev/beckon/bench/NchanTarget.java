package dev.beckon.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;

/**
 * Nchan, the relay floor: the same call cycle as two publishes and two SSE deliveries, with no
 * authentication, state or expiry.
 */
final class NchanTarget implements Target {

    private final HttpClient http;
    private final String name;

    NchanTarget(HttpClient http, String name) {
        this.http = http;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String streamPath(String userId) {
        return "/sub/" + userId;
    }

    @Override
    public String streamAuthorization(String userId) {
        return null;
    }

    @Override
    public Future<String> invite(String caller, String callee, String invitationId) {
        return publish(callee, "{\"type\":\"invitation.received\",\"data\":{\"invitationId\":\"" + invitationId + "\"}}")
                .map(invitationId);
    }

    @Override
    public Future<Void> accept(String caller, String callee, String invitationId) {
        return publish(caller, "{\"type\":\"invitation.accepted\",\"data\":{\"invitationId\":\"" + invitationId + "\"}}");
    }

    private Future<Void> publish(String channel, String json) {
        return http.request(HttpMethod.POST, "/pub/" + channel).compose(request -> request
                .putHeader("Content-Type", "application/json")
                .send(json)
                .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture("publish answered " + response.statusCode()))));
    }
}
