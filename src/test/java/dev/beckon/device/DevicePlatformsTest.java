package dev.beckon.device;

import static dev.beckon.device.Devices.apnsToken;
import static dev.beckon.device.Devices.fcmToken;
import static dev.beckon.device.Devices.ids;
import static dev.beckon.device.Devices.list;
import static dev.beckon.device.Devices.register;
import static dev.beckon.device.Devices.registered;
import static dev.beckon.device.Devices.subscription;
import static dev.beckon.device.Devices.unregister;
import static dev.beckon.device.Devices.webPush;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Phones: FCM and APNs tokens, on a server that has both configured (and Web Push). */
@QuarkusTest
@TestProfile(DevicePlatformsTest.WithFcmAndApns.class)
@WithTestResource(BackingServices.class)
class DevicePlatformsTest {

    public static class WithFcmAndApns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new HashMap<>(Devices.fcmAndApnsSettings());
        }
    }

    @Inject
    DeviceStore store;

    @Test
    void anAndroidPhoneIsRegisteredRenewedAndUnregistered() throws InterruptedException {
        String bob = unique("bob");
        String token = fcmToken();
        var first = register(bob, Map.of("platform", "fcm", "token", token, "label", "Pixel"))
                .then().statusCode(200)
                .body("platform", is("fcm"))
                .body("label", is("Pixel"))
                .body("$", not(hasKey("token")))
                .extract().jsonPath();
        Thread.sleep(20);
        var again = register(bob, Map.of("platform", "fcm", "token", token)).then().statusCode(200).extract().jsonPath();

        assertEquals(first.getString("deviceId"), again.getString("deviceId"));
        assertTrue(Instant.parse(again.getString("expiresAt")).isAfter(Instant.parse(first.getString("expiresAt"))));
        list(bob).then().statusCode(200).body("devices", hasSize(1)).body("devices[0].platform", is("fcm"));
        assertEquals(new PushTarget(first.getString("deviceId"), "fcm", null, null, null, token, false),
                store.targets(bob).await().indefinitely().get(0));

        unregister(bob, first.getString("deviceId")).then().statusCode(200).body("deviceId", is(first.getString("deviceId")));
        list(bob).then().statusCode(200).body("devices", empty());
    }

    @Test
    void anIPhoneRegistersItsVoipTokenAndItsAlertToken() {
        String carol = unique("carol");
        String voipToken = apnsToken(), alertToken = apnsToken();
        String voip = registered(carol, Map.of("platform", "apns", "token", voipToken, "voip", true, "label", "iPhone"));
        String alert = registered(carol, Map.of("platform", "apns", "token", alertToken));
        // the same token in upper case is the same device
        assertEquals(voip, registered(carol, Map.of("platform", "apns", "token", voipToken.toUpperCase(Locale.ROOT), "voip", true)));

        Map<String, PushTarget> targets = store.targets(carol).await().indefinitely().stream()
                .collect(Collectors.toMap(PushTarget::deviceId, t -> t));
        assertEquals(new PushTarget(voip, "apns", null, null, null, voipToken, true), targets.get(voip));
        assertEquals(new PushTarget(alert, "apns", null, null, null, alertToken, false), targets.get(alert));
        list(carol).then().statusCode(200).body("devices.platform", is(List.of("apns", "apns")));
    }

    @Test
    void aUserMayHaveDevicesOfEveryPlatform() {
        String dave = unique("dave");
        String browser = registered(dave, webPush(subscription()));
        String android = registered(dave, Map.of("platform", "fcm", "token", fcmToken()));
        String iphone = registered(dave, Map.of("platform", "apns", "token", apnsToken(), "voip", true));

        assertEquals(List.of(browser, android, iphone), ids(dave));
        assertEquals(Set.of("webpush", "fcm", "apns"), store.targets(dave).await().indefinitely().stream()
                .map(PushTarget::platform).collect(Collectors.toSet()));
    }

    @Test
    void badTokensAreRefusedNamingTheField() {
        String erin = unique("erin");
        register(erin, Map.of("platform", "fcm")).then().statusCode(400).body("message", containsString("'token' is required"));
        register(erin, Map.of("platform", "fcm", "token", "short")).then().statusCode(400)
                .body("message", containsString("'token' must be an FCM registration token"));
        register(erin, Map.of("platform", "fcm", "token", fcmToken() + " ")).then().statusCode(400)
                .body("message", containsString("'token' must be an FCM"));
        register(erin, Map.of("platform", "fcm", "token", 12345)).then().statusCode(400)
                .body("message", containsString("'token' must be a string"));
        register(erin, Map.of("platform", "fcm", "token", "x".repeat(1025))).then().statusCode(400)
                .body("message", containsString("'token' must be at most 1024"));
        register(erin, Map.of("platform", "fcm", "token", fcmToken(), "voip", true)).then().statusCode(400)
                .body("message", containsString("'voip' applies only to platform apns"));
        register(erin, Map.of("platform", "fcm", "subscription", subscription())).then().statusCode(400)
                .body("message", containsString("'subscription' applies only to platform webpush"));
        register(erin, Map.of("platform", "apns", "token", "zz" + apnsToken().substring(2))).then().statusCode(400)
                .body("message", containsString("'token' must be an APNs device token"));
        register(erin, Map.of("platform", "apns", "token", apnsToken().substring(1))).then().statusCode(400)
                .body("message", containsString("'token' must be an APNs device token"));
        register(erin, Map.of("platform", "apns", "token", apnsToken().substring(0, 62))).then().statusCode(400)
                .body("message", containsString("'token' must be an APNs device token"));
        list(erin).then().statusCode(200).body("devices", empty());
    }
}
