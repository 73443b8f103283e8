package dev.beckon.push.webpush;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.beckon.push.Platform;
import dev.beckon.push.PushHttp;
import dev.beckon.push.PushMessage;
import dev.beckon.push.PushOutcome;
import dev.beckon.push.PushSender;
import dev.beckon.push.PushTarget;
import dev.beckon.push.crypto.Jws;
import io.vertx.core.buffer.Buffer;

/**
 * Web Push (RFC 8030): the CloudEvent, encrypted for the subscription (RFC 8291), POSTed to its
 * endpoint with a VAPID authorization (RFC 8292), {@code TTL} until the invitation stops ringing,
 * {@code Urgency: high}, and a {@code Topic} per invitation so that, for a device that is offline,
 * the invitation's terminal event replaces its pending ring instead of following it.
 */
public final class WebPushSender implements PushSender {

    private final VapidKey vapid;
    private final PushHttp http;
    private final Clock clock;

    public WebPushSender(VapidKey vapid, PushHttp http, Clock clock) {
        this.vapid = vapid;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Platform platform() {
        return Platform.webpush;
    }

    public VapidKey vapid() {
        return vapid;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushTarget target, PushMessage message) {
        if (target.endpoint() == null || target.p256dh() == null || target.auth() == null) {
            return CompletableFuture.completedFuture(PushOutcome.failed("the subscription lacks its endpoint, p256dh or auth"));
        }
        URI endpoint;
        byte[] body;
        try {
            endpoint = URI.create(target.endpoint());
            if (endpoint.getHost() == null || !(endpoint.getScheme().equalsIgnoreCase("https") || endpoint.getScheme().equalsIgnoreCase("http"))) {
                return CompletableFuture.completedFuture(PushOutcome.failed("the endpoint is not an http(s) URL"));
            }
            body = WebPushEncryption.encrypt(message.eventJson().getBytes(StandardCharsets.UTF_8),
                    Jws.fromBase64Url(target.p256dh()), Jws.fromBase64Url(target.auth()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(PushOutcome.failed("cannot encrypt for this subscription: " + e.getMessage()));
        }
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Encoding", "aes128gcm");
        headers.put("TTL", Long.toString(message.ttlSeconds(now)));
        headers.put("Urgency", "high");
        headers.put("Topic", topic(message.invitationId()));
        headers.put("Authorization", vapid.authorization(endpoint, now));
        return http.post(endpoint, headers, Buffer.buffer(body))
                .thenApply(this::outcome)
                .exceptionally(PushHttp::transportFailure);
    }

    private PushOutcome outcome(PushHttp.Answer response) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return PushOutcome.delivered();
        }
        String reason = status + " " + PushHttp.snippet(response.body());
        if (status == 404 || status == 410) {
            return PushOutcome.gone(reason);
        }
        if (status == 429 || status >= 500) {
            return PushOutcome.retry(reason, PushHttp.retryAfter(response, clock));
        }
        return PushOutcome.failed(reason);
    }

    /** RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet. */
    static String topic(String invitationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(invitationId.getBytes(StandardCharsets.UTF_8));
            return Jws.base64Url(digest).substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
