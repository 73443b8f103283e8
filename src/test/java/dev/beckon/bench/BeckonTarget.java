package dev.beckon.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;

/** Beckon driven through its public API: createConference with one participant, then respond. */
final class BeckonTarget implements Target {

    private final HttpClient http;
    private final Function<String, String> tokens;
    private final String name;
    private final Map<String, String> tokenCache = new ConcurrentHashMap<>();

    BeckonTarget(HttpClient http, Function<String, String> tokens) {
        this(http, tokens, "Beckon");
    }

    BeckonTarget(HttpClient http, Function<String, String> tokens, String name) {
        this.http = http;
        this.tokens = tokens;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String streamPath(String userId) {
        return "/events";
    }

    @Override
    public String streamAuthorization(String userId) {
        return "Bearer " + token(userId);
    }

    private String token(String userId) {
        return tokenCache.computeIfAbsent(userId, tokens);
    }

    @Override
    public Future<String> invite(String caller, String callee, String hint) {
        return post(caller, "/createConference", "{\"participants\":[{\"userId\":\"" + callee + "\"}]}")
                .map(body -> SseParser.invitationId(body.toString()));
    }

    @Override
    public Future<Void> accept(String caller, String callee, String invitationId) {
        return post(callee, "/respond", "{\"invitationId\":\"" + invitationId + "\",\"action\":\"accept\"}").mapEmpty();
    }

    private Future<Buffer> post(String userId, String path, String json) {
        return http.request(HttpMethod.POST, path).compose(request -> request
                .putHeader("Authorization", "Bearer " + token(userId))
                .putHeader("Content-Type", "application/json")
                .send(json)
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body)
                        : Future.failedFuture(path + " answered " + response.statusCode() + ": " + body))));
    }
}
