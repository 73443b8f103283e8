package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.push.ApnsStandIn.Received;
import dev.beckon.push.ApnsStandIn.TestCertificate;
import dev.beckon.push.crypto.EcKeys;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.http.HttpVersion;

/**
 * APNs against a strict HTTP/2 TLS stand-in, with the sender built from the settings an operator
 * writes ({@code beckon.push.apns.*}, the stand-in's certificate as the trust setting).
 */
class ApnsSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static KeyPair teamKey;
    private static TestCertificate certificate;
    private static ApnsStandIn apple;
    private static PushSender sender;

    @BeforeAll
    static void start() throws Exception {
        teamKey = EcKeys.generate();
        certificate = TestCertificate.create(directory);
        apple = new ApnsStandIn(certificate, (ECPublicKey) teamKey.getPublic());
        sender = senderWith((ECPrivateKey) teamKey.getPrivate(), true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (apple != null) {
            apple.close();
        }
    }

    @Test
    void anAlertRingsWithTheCallersNameAndCarriesTheCloudEvent() throws Exception {
        String device = device(1);
        PushMessage ring = Events.ringing("inv-alert", "Alice", Instant.now().plusSeconds(30));

        assertThat(send(PushTarget.apns(device, false), ring), is(PushOutcome.delivered()));

        Received push = only(device);
        assertThat(push.version(), is(HttpVersion.HTTP_2));
        assertThat(push.headers().get("apns-push-type"), is("alert"));
        assertThat(push.headers().get("apns-topic"), is(ApnsStandIn.TOPIC));
        assertThat(push.headers().get("apns-priority"), is("10"));
        assertThat(push.headers().get("apns-expiration"), is(Long.toString(ring.expiresAt().getEpochSecond())));
        assertThat(push.headers().get("apns-collapse-id"), is("inv-alert"));
        JsonNode payload = JSON.readTree(push.body());
        assertThat(payload.at("/aps/alert/body").asText(), is("Alice is calling"));
        assertThat(payload.get("beckon"), is(JSON.readTree(ring.eventJson())));
    }

    @Test
    void aVoipDeviceGetsAVoipPushOnTheVoipTopic() throws Exception {
        String device = device(2);
        PushMessage ring = Events.ringing("inv-voip", "Alice", Instant.now().plusSeconds(30));

        assertThat(send(PushTarget.apns(device, true), ring), is(PushOutcome.delivered()));

        Received push = only(device);
        assertThat(push.headers().get("apns-push-type"), is("voip"));
        assertThat(push.headers().get("apns-topic"), is(ApnsStandIn.TOPIC + ".voip"));
        assertThat(push.headers().get("apns-priority"), is("10"));
        assertThat(push.headers().get("apns-collapse-id"), is("inv-voip"));
        JsonNode payload = JSON.readTree(push.body());
        assertThat(payload.has("aps"), is(false));
        assertThat(payload.get("beckon"), is(JSON.readTree(ring.eventJson())));
    }

    @Test
    void theEndOfACallReplacesItsRingingAlert() throws Exception {
        String device = device(3);
        PushMessage missed = Events.message("invitation.expired", "inv-missed", "Alice", Instant.now().minusSeconds(1));

        assertThat(send(PushTarget.apns(device, false), missed), is(PushOutcome.delivered()));

        Received push = only(device);
        assertThat(JSON.readTree(push.body()).at("/aps/alert/body").asText(), is("Missed call from Alice"));
        assertThat(push.headers().get("apns-collapse-id"), is("inv-missed"));
        assertThat(push.headers().get("apns-expiration"), is("0"));
    }

    @Test
    void anUnregisteredDeviceIsGone() throws Exception {
        String device = device(4);
        apple.answer(device, "410 Unregistered");

        PushOutcome outcome = send(PushTarget.apns(device, false), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)));

        assertThat(outcome, instanceOf(PushOutcome.Gone.class));
        assertThat(outcome.reason(), is("410 Unregistered"));
    }

    @Test
    void aBadDeviceTokenIsGone() throws Exception {
        String device = device(5);
        apple.answer(device, "400 BadDeviceToken");

        PushOutcome outcome = send(PushTarget.apns(device, true), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)));

        assertThat(outcome, instanceOf(PushOutcome.Gone.class));
        assertThat(outcome.reason(), is("400 BadDeviceToken"));
    }

    @Test
    void otherRefusalsAndOverloadAreNotGone() throws Exception {
        apple.answer(device(6), "400 BadExpirationDate");
        apple.answer(device(7), "429 TooManyRequests");
        apple.answer(device(8), "503 ServiceUnavailable");
        PushMessage ring = Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30));

        assertThat(send(PushTarget.apns(device(6), false), ring), instanceOf(PushOutcome.Failed.class));
        assertThat(send(PushTarget.apns(device(7), false), ring), instanceOf(PushOutcome.Retry.class));
        assertThat(send(PushTarget.apns(device(8), false), ring), instanceOf(PushOutcome.Retry.class));
    }

    @Test
    void oneProviderTokenServesManyPushes() throws Exception {
        String device = device(9);
        for (int i = 0; i < 4; i++) {
            assertThat(send(PushTarget.apns(device, i % 2 == 0), Events.ringing("inv-" + i, "Alice", Instant.now().plusSeconds(30))),
                    is(PushOutcome.delivered()));
        }

        String first = apple.received().stream().filter(r -> r.deviceToken().equals(device)).findFirst().orElseThrow().providerToken();
        assertThat(apple.received().stream().filter(r -> r.deviceToken().equals(device)).map(Received::providerToken).toList(),
                everyItem(is(first)));
        assertThat(apple.refusals(), is(empty()));
    }

    @Test
    void aProviderTokenSignedWithAnotherKeyIsRefused() throws Exception {
        PushSender impostor = senderWith((ECPrivateKey) EcKeys.generate().getPrivate(), true);
        int before = apple.refusals().size();

        PushOutcome outcome = impostor.send(PushTarget.apns(device(10), false), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome, instanceOf(PushOutcome.Failed.class));
        assertThat(outcome.reason(), startsWith("403 InvalidProviderToken"));
        assertThat(apple.refusals().subList(before, apple.refusals().size()), hasSize(1));
    }

    @Test
    void withoutTheTrustSettingTheStandInsCertificateIsNotTrusted() throws Exception {
        PushSender untrusting = senderWith((ECPrivateKey) teamKey.getPrivate(), false);

        PushOutcome outcome = untrusting.send(PushTarget.apns(device(11), false), Events.ringing("inv-1", "Alice", Instant.now().plusSeconds(30)))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome, instanceOf(PushOutcome.Retry.class));
        assertThat(apple.received().stream().filter(r -> r.deviceToken().equals(device(11))).toList(), is(empty()));
    }

    private static PushSender senderWith(ECPrivateKey key, boolean trustStandIn) throws Exception {
        Path keyFile = Files.createTempFile(directory, "AuthKey_", ".p8");
        Files.writeString(keyFile, EcKeys.writePrivateKey(key));
        Map<String, String> settings = new HashMap<>(Map.of(
                "beckon.push.apns.key-location", keyFile.toString(),
                "beckon.push.apns.key-id", ApnsStandIn.KEY_ID,
                "beckon.push.apns.team-id", ApnsStandIn.TEAM_ID,
                "beckon.push.apns.topic", ApnsStandIn.TOPIC,
                "beckon.push.apns.url", apple.baseUrl().toString(),
                "beckon.push.timeout", "20s"));
        if (trustStandIn) {
            settings.put("beckon.push.apns.trust-certificate-location", certificate.pem().toString());
        }
        return PushSettings.senders(settings, LaunchMode.TEST).get(Platform.apns);
    }

    private static PushOutcome send(PushTarget target, PushMessage message) throws Exception {
        return sender.send(target, message).get(30, TimeUnit.SECONDS);
    }

    private static Received only(String device) {
        var pushes = apple.received().stream().filter(r -> r.deviceToken().equals(device)).toList();
        assertThat(pushes, hasSize(1));
        return pushes.get(0);
    }

    private static String device(int n) {
        return String.format("%064x", n);
    }
}
