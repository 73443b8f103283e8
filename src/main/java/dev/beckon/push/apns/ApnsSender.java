package dev.beckon.push.apns;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.push.Platform;
import dev.beckon.push.PushHttp;
import dev.beckon.push.PushMessage;
import dev.beckon.push.PushOutcome;
import dev.beckon.push.PushSender;
import dev.beckon.push.PushTarget;
import io.vertx.core.buffer.Buffer;

/**
 * APNs over HTTP/2 with token-based authentication. VoIP devices get a {@code voip} push on the
 * {@code <topic>.voip} topic (PushKit wakes the app, which reports the call to CallKit); others
 * get an alert ("Alice is calling"). Both carry the CloudEvent under {@code beckon}, expire with
 * the invitation, and share the invitation id as collapse id, so the terminal event's alert
 * replaces the ringing one.
 */
public final class ApnsSender implements PushSender {

    private static final Logger LOG = Logger.getLogger(ApnsSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICE_TOKEN = Pattern.compile("[0-9a-fA-F]{32,200}");
    private static final int MAX_COLLAPSE_ID_BYTES = 64;

    private final AtomicLong lastWarning = new AtomicLong();
    private final ApnsProviderToken providerToken;
    private final String topic;
    private final String base;
    private final PushHttp http;
    private final Clock clock;

    /** {@code http} must speak HTTP/2 only, as APNs does. */
    public ApnsSender(ECPrivateKey key, String keyId, String teamId, String topic, URI apiBase, PushHttp http, Clock clock) {
        this.providerToken = new ApnsProviderToken(key, keyId, teamId, clock);
        this.topic = topic;
        this.base = apiBase.toString().replaceAll("/+$", "");
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Platform platform() {
        return Platform.apns;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushTarget target, PushMessage message) {
        if (target.token() == null || !DEVICE_TOKEN.matcher(target.token()).matches()) {
            return CompletableFuture.completedFuture(PushOutcome.failed("not an APNs device token (hexadecimal)"));
        }
        String payload;
        try {
            payload = payload(target, message).toString();
        } catch (java.io.IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(PushOutcome.failed("the event is not JSON: " + e.getMessage()));
        }
        String token = providerToken.current();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "bearer " + token);
        headers.put("apns-push-type", target.voip() ? "voip" : "alert");
        headers.put("apns-topic", target.voip() ? topic + ".voip" : topic);
        headers.put("apns-expiration", Long.toString(expiration(message)));
        headers.put("apns-priority", "10");
        headers.put("content-type", "application/json");
        if (message.invitationId().getBytes(StandardCharsets.UTF_8).length <= MAX_COLLAPSE_ID_BYTES) {
            headers.put("apns-collapse-id", message.invitationId());
        }
        return http.post(URI.create(base + "/3/device/" + target.token()), headers, Buffer.buffer(payload))
                .thenApply(response -> outcome(response, token))
                .exceptionally(PushHttp::transportFailure);
    }

    /** Epoch seconds at which APNs stops trying; 0 ("once, now") when that moment has passed. */
    private long expiration(PushMessage message) {
        return message.ttlSeconds(clock.instant()) > 0 ? message.expiresAt().getEpochSecond() : 0;
    }

    private ObjectNode payload(PushTarget target, PushMessage message) throws java.io.IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!target.voip()) {
            root.putObject("aps").put("sound", "default").putObject("alert").put("body", alertText(message));
        }
        root.set("beckon", JSON.readTree(message.eventJson()));
        return root;
    }

    /** The line on the lock screen; the terminal event's line replaces the ring's (same collapse id). */
    static String alertText(PushMessage message) {
        String caller = message.callerName() == null || message.callerName().isBlank() ? "Someone" : message.callerName();
        return switch (message.type()) {
            case "invitation.accepted" -> "Call with " + caller + " answered";
            case "invitation.declined" -> "Call from " + caller + " declined";
            case "invitation.canceled", "invitation.expired" -> "Missed call from " + caller;
            default -> caller + " is calling";
        };
    }

    private PushOutcome outcome(PushHttp.Answer response, String token) {
        int status = response.status();
        if (status == 200) {
            return PushOutcome.delivered();
        }
        String reason = reason(response.body());
        String described = status + " " + reason;
        if (status == 410 || "BadDeviceToken".equals(reason) || "Unregistered".equals(reason)) {
            return PushOutcome.gone(described);
        }
        if (status == 403 && "ExpiredProviderToken".equals(reason)) {
            providerToken.expired(token);
            return PushOutcome.retry(described);
        }
        if (status == 403 && PushHttp.warnNow(lastWarning)) {
            LOG.warnf("APNs refuses Beckon's credentials (%s): check beckon.push.apns.key-location, .key-id, .team-id and .topic.",
                    described);
        }
        if (status == 429 || status >= 500) {
            return PushOutcome.retry(described, PushHttp.retryAfter(response, clock));
        }
        return PushOutcome.failed(described);
    }

    private static String reason(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? "" : node.path("reason").asText("");
        } catch (java.io.IOException | RuntimeException notJson) {
            return PushHttp.snippet(body);
        }
    }
}
