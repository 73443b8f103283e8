package dev.beckon.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP attempt: POSTs an event to the receiver in CloudEvents structured mode with the
 * Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}). Any 2xx is a delivery; another status, an error or no answer
 * within {@code timeout} is a failed attempt.
 */
final class WebhookSender {

    /** How an attempt ended: delivered, or why not. */
    record Outcome(boolean delivered, String error) {
    }

    private final URI url;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final HttpClient http;
    private final Clock clock;

    WebhookSender(URI url, WebhookSigner signer, Duration timeout, Clock clock) {
        this.url = url;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    CompletableFuture<Outcome> send(String webhookId, String body) {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("User-Agent", "Beckon-Webhooks")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.sign(webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                return new Outcome(true, null);
            }
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                return new Outcome(false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return new Outcome(false, "HTTP " + response.statusCode());
        });
    }
}
