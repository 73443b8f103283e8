package dev.beckon.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP attempt: POSTs an event to the receiver in CloudEvents structured mode with the
 * Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}). Any 2xx is a delivery; another status, an error or no answer
 * within {@code timeout} is a failed attempt.
 * <p>
 * It runs on Vert.x' non-blocking client, on the event loop: the JDK's client completes every
 * asynchronous send on a thread of the common pool, which on a two-core machine means a new
 * thread per delivery.
 */
final class WebhookSender {

    /** How an attempt ended: delivered, or why not. */
    record Outcome(boolean delivered, String error) {
    }

    private final URI url;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    WebhookSender(Vertx vertx, URI url, WebhookSigner signer, Duration timeout, int connections, Clock clock) {
        this.url = url;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setMaxPoolSize(connections)
                .setKeepAlive(true)
                .setVerifyHost(true));
    }

    CompletableFuture<Outcome> send(String webhookId, String body) {
        long timestamp = clock.instant().getEpochSecond();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url.toString())
                .setTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/cloudevents+json; charset=utf-8")
                .putHeader("User-Agent", "Beckon-Webhooks")
                .putHeader("webhook-id", webhookId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signer.sign(webhookId, timestamp, body));
        return http.request(request)
                .compose(sent -> sent.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .map(status -> status / 100 == 2 ? new Outcome(true, null) : new Outcome(false, "HTTP " + status))
                .otherwise(failure -> new Outcome(false, failure.getClass().getSimpleName() + ": " + failure.getMessage()))
                .toCompletionStage().toCompletableFuture();
    }

    void close() {
        http.close();
    }
}
