package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.beckon.push.WebPushTestingService.Subscription;
import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.crypto.Jws;
import dev.beckon.push.webpush.VapidKey;
import dev.beckon.push.webpush.WebPushSender;

/**
 * Web Push against web-push-testing, a push service nobody here wrote: it accepts the VAPID
 * token only if it verifies against the key the browser subscribed with, and decrypts the body
 * with http_ece, so a push that arrives proves the encryption and the signature.
 */
class WebPushSenderTest {

    private static WebPushTestingService pushService;
    private static VapidKey vapid;
    private static WebPushSender sender;

    @BeforeAll
    static void start() throws Exception {
        pushService = WebPushTestingService.start();
        vapid = new VapidKey((ECPrivateKey) EcKeys.generate().getPrivate(), "mailto:ops@example.com");
        sender = new WebPushSender(vapid, PushSettings.http(Duration.ofSeconds(20)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (pushService != null) {
            pushService.close();
        }
    }

    @Test
    void aPushArrivesDecryptedAsTheCloudEventWithItsTimeToLiveAndUrgency() throws Exception {
        Subscription browser = pushService.subscribe(vapid.applicationServerKey());
        PushMessage ring = Events.ringing("inv-1", "Zoë Ångström", Instant.now().plusSeconds(30));

        PushOutcome outcome = send(browser, ring);

        assertThat(outcome, is(PushOutcome.delivered()));
        assertThat(pushService.messages(browser), contains(ring.eventJson()));
        Map<String, String> headers = pushService.headers(browser).get(0);
        assertThat(Integer.parseInt(headers.get("ttl")), allOf(greaterThanOrEqualTo(28), lessThanOrEqualTo(30)));
        assertThat(headers.get("urgency"), is("high"));
        assertThat(headers.get("x-content-encoding"), is("aes128gcm"));
        assertThat(headers.get("topic").length(), is(32));
    }

    @Test
    void theVapidTokenIsForThePushServicesOriginExpiresWithinADayAndNamesTheContact() throws Exception {
        Subscription browser = pushService.subscribe(vapid.applicationServerKey());
        assertThat(send(browser, Events.ringing("inv-2", "Alice", Instant.now().plusSeconds(30))), is(PushOutcome.delivered()));

        Matcher authorization = Pattern.compile("vapid t=([^,]+), k=(.+)").matcher(pushService.headers(browser).get(0).get("authorization"));
        assertThat(authorization.matches(), is(true));
        assertThat(authorization.group(2), is(vapid.applicationServerKey()));
        String origin = browser.endpoint().substring(0, browser.endpoint().indexOf("/notify/"));
        JwtConsumer verifier = new JwtConsumerBuilder()
                .setVerificationKey(EcKeys.fromUncompressed(Jws.fromBase64Url(authorization.group(2))))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedAudience(origin).setRequireExpirationTime().setMaxFutureValidityInMinutes(24 * 60).build();
        JwtClaims claims = verifier.processToClaims(authorization.group(1));
        assertThat(claims.getSubject(), is("mailto:ops@example.com"));
        assertThat(origin, startsWith("http://127.0.0.1:"));
    }

    @Test
    void aPushForAnInvitationThatEndedCarriesNoTimeToLive() throws Exception {
        Subscription browser = pushService.subscribe(vapid.applicationServerKey());
        PushMessage expired = Events.message("invitation.expired", "inv-3", "Alice", Instant.now().minusSeconds(1));

        assertThat(send(browser, expired), is(PushOutcome.delivered()));

        assertThat(pushService.headers(browser).get(0).get("ttl"), is("0"));
        assertThat(pushService.messages(browser), contains(expired.eventJson()));
    }

    @Test
    void anExpiredSubscriptionIsGone() throws Exception {
        Subscription browser = pushService.subscribe(vapid.applicationServerKey());
        pushService.expire(browser);

        PushOutcome outcome = send(browser, Events.ringing("inv-4", "Alice", Instant.now().plusSeconds(30)));

        assertThat(outcome, instanceOf(PushOutcome.Gone.class));
        assertThat(outcome.reason(), startsWith("410"));
        assertThat(pushService.messages(browser), hasSize(0));
    }

    @Test
    void aSubscriptionMadeWithAnotherServersKeyRefusesOurPush() throws Exception {
        VapidKey other = new VapidKey((ECPrivateKey) EcKeys.generate().getPrivate(), "mailto:other@example.com");
        Subscription browser = pushService.subscribe(other.applicationServerKey());

        PushOutcome outcome = send(browser, Events.ringing("inv-5", "Alice", Instant.now().plusSeconds(30)));

        assertThat(outcome, instanceOf(PushOutcome.Failed.class));
        assertThat(pushService.messages(browser), hasSize(0));
    }

    @Test
    void aMessageTooLargeForOneRecordFailsBeforeAnythingIsSent() throws Exception {
        Subscription browser = pushService.subscribe(vapid.applicationServerKey());
        PushMessage huge = new PushMessage("{\"data\":\"" + "x".repeat(5000) + "\"}", "invitation.received", "inv-6",
                Instant.now().plusSeconds(30), "Alice");

        PushOutcome outcome = send(browser, huge);

        assertThat(outcome, instanceOf(PushOutcome.Failed.class));
        assertThat(pushService.headers(browser), is(List.of()));
    }

    private static PushOutcome send(Subscription browser, PushMessage message) throws Exception {
        return sender.send(PushTarget.webPush(browser.endpoint(), browser.p256dh(), browser.auth()), message).get(30, TimeUnit.SECONDS);
    }
}
