package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.push.FcmStandIn.Answer;
import dev.beckon.push.fcm.FcmSender;
import dev.beckon.push.fcm.ServiceAccount;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** FCM HTTP v1 against a strict stand-in for Google's token endpoint and messages:send. */
class FcmSenderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private FcmStandIn google;
    private FcmSender sender;
    private final Instant now = Instant.now();

    @BeforeEach
    void start() throws Exception {
        google = new FcmStandIn(directory);
        ServiceAccount account = ServiceAccount.parse(Files.readString(google.serviceAccountFile()));
        sender = new FcmSender(account, google.baseUrl(), PushSettings.http(TIMEOUT), Clock.fixed(now, java.time.ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        google.close();
    }

    @Test
    void aDataOnlyHighPriorityMessageCarriesTheCloudEventUntilTheInvitationStopsRinging() throws Exception {
        PushMessage ring = Events.ringing("inv-1", "Alice", now.plusSeconds(30));

        assertThat(send("device-1", ring), is(PushOutcome.delivered()));

        assertThat(google.refusals(), is(empty()));
        JsonNode message = google.messages().get(0);
        assertThat(message.path("token").asText(), is("device-1"));
        assertThat(fieldNames(message.path("data")), contains("event"));
        assertThat(message.at("/data/event").asText(), is(ring.eventJson()));
        assertThat(message.at("/android/priority").asText(), is("HIGH"));
        assertThat(message.at("/android/ttl").asText(), is("30s"));
        assertThat(message.has("notification"), is(false));
    }

    @Test
    void oneAccessTokenServesManySends() throws Exception {
        List<CompletableFuture<PushOutcome>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(sender.send(PushTarget.fcm("device-" + i), Events.ringing("inv-" + i, "Alice", now.plusSeconds(30))));
        }
        for (CompletableFuture<PushOutcome> send : sends) {
            assertThat(send.get(30, TimeUnit.SECONDS), is(PushOutcome.delivered()));
        }
        assertThat(send("device-5", Events.ringing("inv-5", "Alice", now.plusSeconds(30))), is(PushOutcome.delivered()));

        assertThat(google.tokenRequests(), is(1));
        assertThat(google.messages(), hasSize(6));
    }

    @Test
    void aTokenAboutToExpireIsNotReused() throws Exception {
        google.tokenLifetime(120);
        send("device-1", Events.ringing("inv-1", "Alice", now.plusSeconds(30)));
        send("device-1", Events.ringing("inv-2", "Alice", now.plusSeconds(30)));

        assertThat(google.tokenRequests(), is(2));
        assertThat(google.messages(), hasSize(2));
    }

    @Test
    void aRevokedTokenIsRetriedAndReplaced() throws Exception {
        send("device-1", Events.ringing("inv-1", "Alice", now.plusSeconds(30)));
        google.revokeTokens();

        assertThat(send("device-1", Events.ringing("inv-2", "Alice", now.plusSeconds(30))), instanceOf(PushOutcome.Retry.class));
        assertThat(send("device-1", Events.ringing("inv-2", "Alice", now.plusSeconds(30))), is(PushOutcome.delivered()));
        assertThat(google.tokenRequests(), is(2));
    }

    @Test
    void anUnregisteredDeviceIsGone() throws Exception {
        google.answer("old-phone", Answer.UNREGISTERED);

        PushOutcome outcome = send("old-phone", Events.ringing("inv-1", "Alice", now.plusSeconds(30)));

        assertThat(outcome, instanceOf(PushOutcome.Gone.class));
        assertThat(outcome.reason(), startsWith("404 UNREGISTERED"));
    }

    @Test
    void aQuotaExceededIsRetriedNoSoonerThanRetryAfter() throws Exception {
        google.answer("busy", Answer.QUOTA_EXCEEDED);

        PushOutcome outcome = send("busy", Events.ringing("inv-1", "Alice", now.plusSeconds(30)));

        assertThat(outcome, is(PushOutcome.retry(outcome.reason(), Optional.of(Duration.ofSeconds(7)))));
        assertThat(outcome.reason(), startsWith("429 QUOTA_EXCEEDED"));
    }

    @Test
    void anInternalErrorIsRetried() throws Exception {
        google.answer("unlucky", Answer.INTERNAL);

        assertThat(send("unlucky", Events.ringing("inv-1", "Alice", now.plusSeconds(30))), instanceOf(PushOutcome.Retry.class));
    }

    @Test
    void aRefusedMessageFailsForGood() throws Exception {
        google.answer("malformed", Answer.INVALID_ARGUMENT);

        assertThat(send("malformed", Events.ringing("inv-1", "Alice", now.plusSeconds(30))), instanceOf(PushOutcome.Failed.class));
    }

    @Test
    void aServiceAccountGoogleDoesNotKnowFailsForGood() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ObjectNode account = (ObjectNode) JSON.readTree(Files.readString(google.serviceAccountFile()));
        account.put("private_key", dev.beckon.auth.Pem.writePrivateKey(generator.generateKeyPair().getPrivate()));
        FcmSender stranger = new FcmSender(ServiceAccount.parse(account.toString()), google.baseUrl(),
                PushSettings.http(TIMEOUT), Clock.systemUTC());

        PushOutcome outcome = stranger.send(PushTarget.fcm("device-1"), Events.ringing("inv-1", "Alice", now.plusSeconds(30)))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome, instanceOf(PushOutcome.Failed.class));
        assertThat(outcome.reason(), org.hamcrest.Matchers.containsString("invalid_grant"));
        assertThat(google.messages(), is(empty()));
    }

    @Test
    void anUnreachablePushServiceIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ServiceAccount account = ServiceAccount.parse(Files.readString(google.serviceAccountFile()));
        FcmSender nowhere = new FcmSender(account, URI.create("http://127.0.0.1:" + closedPort), PushSettings.http(TIMEOUT), Clock.systemUTC());

        PushOutcome outcome = nowhere.send(PushTarget.fcm("device-1"), Events.ringing("inv-1", "Alice", now.plusSeconds(30)))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome, instanceOf(PushOutcome.Retry.class));
    }

    @Test
    void theFacadeCountsAttemptsByOutcomeAndForgottenDevices() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PushService push = new PushService(Map.of(Platform.fcm, sender), TIMEOUT, registry);
        google.answer("old-phone", Answer.UNREGISTERED);

        PushMessage ring = Events.ringing("inv-1", "Alice", now.plusSeconds(30));
        assertThat(push.send(PushTarget.fcm("device-1"), ring).await().atMost(Duration.ofSeconds(30)), is(PushOutcome.delivered()));
        assertThat(push.send(PushTarget.fcm("old-phone"), ring).await().atMost(Duration.ofSeconds(30)), instanceOf(PushOutcome.Gone.class));
        push.forgotten(Platform.fcm, ForgetReason.gone);
        PushOutcome unconfigured = push.send(PushTarget.apns("abcd".repeat(16), false), ring).await().atMost(Duration.ofSeconds(5));

        assertThat(unconfigured, instanceOf(PushOutcome.Failed.class));
        assertThat(push.configured(Platform.fcm), is(true));
        assertThat(push.configured(Platform.webpush), is(false));
        assertThat(registry.get("beckon.push.attempts").tags("platform", "fcm", "outcome", "delivered").counter().count(), is(1.0));
        assertThat(registry.get("beckon.push.attempts").tags("platform", "fcm", "outcome", "gone").counter().count(), is(1.0));
        assertThat(registry.get("beckon.push.attempts").tags("platform", "fcm", "outcome", "retry").counter().count(), is(0.0));
        assertThat(registry.get("beckon.push.devices.forgotten").tags("platform", "fcm", "reason", "gone").counter().count(), is(1.0));
        assertThat(registry.get("beckon.push.latency").tags("platform", "fcm").timer().count(), is(2L));
    }

    private PushOutcome send(String registrationToken, PushMessage message) throws Exception {
        return sender.send(PushTarget.fcm(registrationToken), message).get(30, TimeUnit.SECONDS);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
