package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.beckon.push.crypto.Jws;
import dev.beckon.push.webpush.WebPushSender;
import io.quarkus.runtime.LaunchMode;

/** Which platforms a set of {@code beckon.push.*} settings turns on, and which settings stop the start, by name. */
class PushSetupTest {

    @TempDir
    Path directory;

    @Test
    void productionWithoutSettingsPushesNowhere() {
        assertThat(PushSettings.senders(Map.of(), LaunchMode.NORMAL), is(anEmptyMap()));
    }

    @Test
    void testAndDevGenerateAVapidKeySoBrowsersCanSubscribe() {
        Map<Platform, PushSender> senders = PushSettings.senders(Map.of(), LaunchMode.TEST);

        assertThat(senders.keySet(), is(Set.of(Platform.webpush)));
        assertThat(Jws.fromBase64Url(((WebPushSender) senders.get(Platform.webpush)).vapid().applicationServerKey()).length, is(65));
    }

    @Test
    void aVapidKeyFromOpensslIsUsedWithItsPublicKeyAsTheApplicationServerKey() throws Exception {
        Path key = directory.resolve("vapid.pem");
        Path publicDer = directory.resolve("vapid-public.der");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        run("openssl", "ec", "-in", key.toString(), "-pubout", "-outform", "DER", "-out", publicDer.toString());
        byte[] spki = Files.readAllBytes(publicDer);
        byte[] point = Arrays.copyOfRange(spki, spki.length - 65, spki.length);

        Map<Platform, PushSender> senders = PushSettings.senders(Map.of("beckon.push.vapid.private-key-location", key.toString(),
                "beckon.push.vapid.subject", "mailto:ops@example.com"), LaunchMode.NORMAL);

        WebPushSender webPush = (WebPushSender) senders.get(Platform.webpush);
        assertThat(webPush.vapid().applicationServerKey(), is(Jws.base64Url(point)));
        assertThat(webPush.vapid().subject(), is("mailto:ops@example.com"));
    }

    @Test
    void productionRefusesAVapidKeyWithoutASubject() throws Exception {
        Path key = directory.resolve("vapid.pem");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());

        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> PushSettings.senders(Map.of("beckon.push.vapid.private-key-location", key.toString()), LaunchMode.NORMAL));

        assertThat(refusal.getMessage(), containsString("BECKON_PUSH_VAPID_SUBJECT (beckon.push.vapid.subject) is not set"));
    }

    @Test
    void anUnreadableVapidKeyStopsTheStartNamingTheSetting() {
        String missing = directory.resolve("nowhere.pem").toString();

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> PushSettings.senders(Map.of(
                "beckon.push.vapid.private-key-location", missing, "beckon.push.vapid.subject", "mailto:ops@example.com"), LaunchMode.NORMAL));

        assertThat(refusal.getMessage(), allOf(containsString("BECKON_PUSH_VAPID_PRIVATE_KEY_LOCATION (beckon.push.vapid.private-key-location)"),
                containsString(missing)));
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() throws Exception {
        Path key = directory.resolve("p384.pem");
        run("openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", key.toString());

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> PushSettings.senders(Map.of(
                "beckon.push.vapid.private-key-location", key.toString(), "beckon.push.vapid.subject", "mailto:ops@example.com"),
                LaunchMode.NORMAL));

        assertThat(refusal.getMessage(), containsString("P-256"));
    }

    @Test
    void aSubjectThatIsNoContactIsRefused() {
        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> PushSettings.senders(Map.of("beckon.push.vapid.subject", "ops@example.com"), LaunchMode.TEST));

        assertThat(refusal.getMessage(), containsString("BECKON_PUSH_VAPID_SUBJECT (beckon.push.vapid.subject) must be a mailto: or https: URL"));
    }

    @Test
    void aServiceAccountWithoutItsKeyIsRefused() throws Exception {
        Path account = directory.resolve("service-account.json");
        Files.writeString(account, "{\"project_id\":\"p\",\"client_email\":\"a@p.iam.gserviceaccount.com\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}");

        IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> PushSettings.senders(Map.of("beckon.push.fcm.service-account-location", account.toString()), LaunchMode.NORMAL));

        assertThat(refusal.getMessage(), allOf(containsString("BECKON_PUSH_FCM_SERVICE_ACCOUNT_LOCATION"), containsString("private_key")));
    }

    @Test
    void apnsNeedsAllFourSettingsAndNamesTheMissingOnes() throws Exception {
        Path key = directory.resolve("AuthKey.p8");
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> PushSettings.senders(Map.of(
                "beckon.push.apns.key-location", key.toString(), "beckon.push.apns.key-id", "ABC123DEFG"), LaunchMode.NORMAL));

        assertThat(refusal.getMessage(), allOf(containsString("BECKON_PUSH_APNS_TEAM_ID (beckon.push.apns.team-id) is not set"),
                containsString("BECKON_PUSH_APNS_TOPIC (beckon.push.apns.topic) is not set"), not(containsString("KEY_ID"))));
        assertThat(PushSettings.senders(Map.of("beckon.push.apns.key-location", key.toString(), "beckon.push.apns.key-id", "ABC123DEFG",
                "beckon.push.apns.team-id", "DEF123GHIJ", "beckon.push.apns.topic", "com.example.app"), LaunchMode.NORMAL).keySet(),
                is(Set.of(Platform.apns)));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
