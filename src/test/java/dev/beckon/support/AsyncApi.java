package dev.beckon.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Many calls at once, for the tests that race or flood: JDK HttpClient, a bounded number in flight. */
public final class AsyncApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Semaphore inFlight;
    private final String base;

    public AsyncApi(int concurrency) {
        this(SseClient.baseUrl(), concurrency);
    }

    public AsyncApi(String base, int concurrency) {
        this.base = base;
        this.inFlight = new Semaphore(concurrency);
    }

    /** POSTs {@code body} to {@code /<function>}; the raw request, headers as given (null token: none). */
    public CompletableFuture<HttpResponse<String>> post(String token, String function, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + function))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        inFlight.acquireUninterruptibly();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> inFlight.release());
    }

    public CompletableFuture<HttpResponse<String>> post(String token, String function, String body) {
        return post(token, function, body, "application/json");
    }

    /** The first invitation id in the body of a createConference or invite answer. */
    public static String firstInvitationId(String body) {
        try {
            return JSON.readTree(body).at("/invitations/0/invitationId").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
