package dev.beckon.push.fcm;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

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
 * FCM HTTP v1: a data-only, high-priority message carrying the CloudEvent as {@code data.event},
 * alive until the invitation stops ringing, POSTed to {@code /v1/projects/<project>/messages:send}
 * with the service account's access token.
 */
public final class FcmSender implements PushSender {

    private static final Logger LOG = Logger.getLogger(FcmSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong lastWarning = new AtomicLong();
    private final FcmAccessToken accessToken;
    private final URI sendUri;
    private final PushHttp http;
    private final Clock clock;

    public FcmSender(ServiceAccount account, URI apiBase, PushHttp http, Clock clock) {
        this.accessToken = new FcmAccessToken(account, http, clock);
        String base = apiBase.toString().replaceAll("/+$", "");
        this.sendUri = URI.create(base + "/v1/projects/" + account.projectId() + "/messages:send");
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Platform platform() {
        return Platform.fcm;
    }

    @Override
    public CompletableFuture<PushOutcome> send(PushTarget target, PushMessage message) {
        if (target.token() == null || target.token().isBlank()) {
            return CompletableFuture.completedFuture(PushOutcome.failed("no registration token"));
        }
        String body = body(target, message).toString();
        return accessToken.get()
                .thenCompose(token -> post(token, body))
                .exceptionally(this::tokenFailure);
    }

    private CompletableFuture<PushOutcome> post(String token, String body) {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json; charset=UTF-8");
        return http.post(sendUri, headers, Buffer.buffer(body))
                .thenApply(response -> outcome(response, token))
                .exceptionally(PushHttp::transportFailure);
    }

    private ObjectNode body(PushTarget target, PushMessage message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode fcm = root.putObject("message");
        fcm.put("token", target.token());
        fcm.putObject("data").put("event", message.eventJson());
        fcm.putObject("android").put("priority", "HIGH").put("ttl", message.ttlSeconds(clock.instant()) + "s")
                .put("collapse_key", message.invitationId());
        return root;
    }

    private PushOutcome outcome(PushHttp.Answer response, String token) {
        int status = response.status();
        if (status == 200) {
            return PushOutcome.delivered();
        }
        JsonNode error = error(response.body());
        String code = errorCode(error);
        String reason = status + " " + (code != null ? code : error.path("status").asText("")) + " "
                + error.path("message").asText(PushHttp.snippet(response.body()));
        if ("UNREGISTERED".equals(code)) {
            return PushOutcome.gone(reason.strip());
        }
        if (status == 401) {
            accessToken.invalidate(token);
            return PushOutcome.retry(reason.strip());
        }
        if (status == 429 || status >= 500) {
            return PushOutcome.retry(reason.strip(), PushHttp.retryAfter(response, clock));
        }
        return PushOutcome.failed(reason.strip());
    }

    private static JsonNode error(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node.path("error");
        } catch (java.io.IOException | RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    /** The FCM error code in {@code error.details[]} ({@code google.firebase.fcm.v1.FcmError}). */
    private static String errorCode(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.hasNonNull("errorCode")) {
                return detail.get("errorCode").asText();
            }
        }
        return null;
    }

    private PushOutcome tokenFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof FcmAccessToken.Unavailable unavailable) {
            if (unavailable.transientFailure) {
                return PushOutcome.retry("no access token: " + unavailable.getMessage());
            }
            if (PushHttp.warnNow(lastWarning)) {
                LOG.warnf("FCM is not usable: %s. Check the service account in beckon.push.fcm.service-account-location.",
                        unavailable.getMessage());
            }
            return PushOutcome.failed("no access token: " + unavailable.getMessage());
        }
        return PushHttp.transportFailure(cause);
    }
}
