package dev.beckon.push.fcm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.push.PushHttp;
import dev.beckon.push.crypto.Jws;
import io.vertx.core.buffer.Buffer;

/**
 * The OAuth2 access token FCM calls carry (RFC 7523 JWT bearer grant): an RS256 assertion
 * signed with the service account's key, exchanged at its {@code token_uri}, kept until shortly
 * before it expires. Concurrent callers share one exchange.
 */
final class FcmAccessToken {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    /** Refresh this long before the token's stated expiry. */
    static final Duration MARGIN = Duration.ofMinutes(5);
    private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The token endpoint did not give a token; {@code transientFailure} says whether trying again later may help. */
    static final class Unavailable extends RuntimeException {
        final boolean transientFailure;

        Unavailable(String message, boolean transientFailure) {
            super(message, null, false, false);
            this.transientFailure = transientFailure;
        }
    }

    private final ServiceAccount account;
    private final PushHttp http;
    private final Clock clock;

    private String token;
    private Instant refreshAt = Instant.MIN;
    private CompletableFuture<String> inFlight;

    FcmAccessToken(ServiceAccount account, PushHttp http, Clock clock) {
        this.account = account;
        this.http = http;
        this.clock = clock;
    }

    CompletableFuture<String> get() {
        CompletableFuture<String> started;
        synchronized (this) {
            if (token != null && clock.instant().isBefore(refreshAt)) {
                return CompletableFuture.completedFuture(token);
            }
            if (inFlight != null) {
                return inFlight;
            }
            started = inFlight = new CompletableFuture<>();
        }
        exchange().whenComplete((fresh, failure) -> {
            synchronized (this) {
                inFlight = null;
            }
            if (failure != null) {
                started.completeExceptionally(failure);
            } else {
                started.complete(fresh);
            }
        });
        return started;
    }

    /** FCM refused {@code rejected}: the next call fetches a new token (unless one already replaced it). */
    synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    private CompletableFuture<String> exchange() {
        Instant now = clock.instant();
        ObjectNode claims = JSON.createObjectNode().put("iss", account.clientEmail()).put("scope", SCOPE)
                .put("aud", account.tokenUri().toString()).put("iat", now.getEpochSecond())
                .put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        String assertion = Jws.rs256("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims.toString(), account.privateKey());
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + assertion;
        return http.post(account.tokenUri(), Map.of("Content-Type", "application/x-www-form-urlencoded"), Buffer.buffer(form))
                .thenApply(response -> accept(response, now));
    }

    private String accept(PushHttp.Answer response, Instant requestedAt) {
        int status = response.status();
        if (status != 200) {
            throw new Unavailable("the token endpoint " + account.tokenUri() + " answered " + status + " "
                    + PushHttp.snippet(response.body()), status == 429 || status >= 500);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new Unavailable("the token endpoint answered with no JSON", true);
        }
        JsonNode accessToken = body.get("access_token");
        if (accessToken == null || !accessToken.isTextual()) {
            throw new Unavailable("the token endpoint answered without an access_token", true);
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        synchronized (this) {
            token = accessToken.asText();
            refreshAt = requestedAt.plusSeconds(expiresIn).minus(MARGIN);
            return token;
        }
    }
}
