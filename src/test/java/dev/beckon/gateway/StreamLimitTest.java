package dev.beckon.gateway;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.support.BackingServices;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A user has at most {@code beckon.events.max-streams-per-user} (10) streams on a gateway: one
 * more closes their oldest, which is told why and asked to wait before it reconnects, so that
 * streams beyond the limit do not take turns closing each other.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class StreamLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    MeterRegistry registry;

    @Test
    void theEleventhStreamClosesTheOldestWithAReasonAndALongRetry() throws Exception {
        String bob = unique("bob");
        double closedBefore = closedTooMany();
        RawStream oldest = RawStream.open(Tokens.user(bob));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> oldest.lines().stream().anyMatch(l -> l.startsWith("id:")));
        assertTrue(oldest.lines().contains("retry:3000"), "a stream opens with the usual reconnection delay: " + oldest.lines());

        List<SseClient> others = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                others.add(SseClient.connect(Tokens.user(bob)));
            }
            assertTrue(!oldest.ended.isDone(), "ten streams are within the limit");

            others.add(SseClient.connect(Tokens.user(bob)));
            oldest.ended.get(10, TimeUnit.SECONDS);
            List<String> lines = oldest.lines();
            int event = lines.indexOf("event:" + Session.CLOSED_TYPE);
            assertTrue(event > 0, "the oldest stream is told why it ends: " + lines);
            assertEquals("retry:300000", lines.get(event - 1), "and waits five minutes before it reconnects by itself");
            JsonNode closed = JSON.readTree(lines.get(event + 1).substring("data:".length()));
            assertEquals(Session.CLOSED_TYPE, closed.get("type").asText());
            assertEquals(bob, closed.get("subject").asText());
            assertEquals("too_many_streams", closed.at("/data/reason").asText());
            assertTrue(closed.at("/data/message").asText().contains("more than 10"), closed.toString());
            assertEquals(300, closed.at("/data/retryAfterSeconds").asInt());
            assertEquals(closedBefore + 1, closedTooMany(), "counted in beckon.sessions.closed");

            // the ten streams left all ring
            String invitationId = invitationOf(conference(unique("alice"), bob), bob);
            for (SseClient stream : others) {
                stream.await("invitation.received", invitationId);
            }
            assertEquals(closedBefore + 1, closedTooMany(), "no other stream was closed");
        } finally {
            others.forEach(SseClient::close);
        }
    }

    private double closedTooMany() {
        Counter counter = registry.find("beckon.sessions.closed").tag("reason", "too-many-streams").counter();
        return counter == null ? 0 : counter.count();
    }

    /** A stream read line by line as it comes, retry and all, until the server ends it. */
    private record RawStream(List<String> received, CompletableFuture<Void> ended) {

        static RawStream open(String token) {
            List<String> received = new ArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(SseClient.baseUrl() + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            CompletableFuture<Void> ended = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> {
                        try (Stream<String> lines = response.body()) {
                            lines.forEach(line -> {
                                synchronized (received) {
                                    received.add(line.replace("retry: ", "retry:"));
                                }
                            });
                        }
                    });
            return new RawStream(received, ended);
        }

        List<String> lines() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }
    }
}
