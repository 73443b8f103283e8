package dev.beckon.device;

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
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Registering browsers for Web Push, as the test profile runs it: Web Push on (its VAPID key is
 * generated at start-up), FCM and APNs off.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class DeviceTest {

    private static final Duration SIXTY_DAYS = Duration.ofDays(60);

    @Inject
    DeviceStore store;

    @Test
    void aBrowserIsRegisteredListedAndUnregistered() {
        String alice = unique("alice");
        Instant before = Instant.now();
        var device = register(alice, Map.of("platform", "webpush", "subscription", subscription(), "label", "Firefox on the laptop"))
                .then().statusCode(200)
                .body("deviceId", matchesPattern("[A-Za-z0-9_-]{22}"))
                .body("platform", is("webpush"))
                .body("label", is("Firefox on the laptop"))
                .body("$", not(hasKey("subscription")))
                .body("$", not(hasKey("endpoint")))
                .extract().jsonPath();
        String deviceId = device.getString("deviceId");
        Instant createdAt = Instant.parse(device.getString("createdAt"));
        Instant expiresAt = Instant.parse(device.getString("expiresAt"));
        assertTrue(!createdAt.isBefore(before.minusSeconds(1)) && !createdAt.isAfter(Instant.now().plusSeconds(1)));
        assertEquals(SIXTY_DAYS.toSeconds(), Duration.between(createdAt, expiresAt).toSeconds(), 1);

        list(alice).then().statusCode(200)
                .body("devices", hasSize(1))
                .body("devices[0].deviceId", is(deviceId))
                .body("devices[0].label", is("Firefox on the laptop"))
                .body("devices[0].createdAt", is(device.getString("createdAt")))
                .body("devices[0].expiresAt", is(device.getString("expiresAt")));

        unregister(alice, deviceId).then().statusCode(200).body("deviceId", is(deviceId));
        list(alice).then().statusCode(200).body("devices", empty());
        unregister(alice, deviceId).then().statusCode(404).body("error", is("not_found"));
        assertTrue(RedisInspector.keys(DeviceStore.keyPrefix(alice) + "*").isEmpty(), "nothing left of alice's devices");
    }

    @Test
    void registeringTheSameSubscriptionAgainRenewsTheSameDevice() throws InterruptedException {
        String alice = unique("alice");
        Map<String, Object> subscription = subscription();
        var first = register(alice, Map.of("platform", "webpush", "subscription", subscription, "label", "Chrome"))
                .then().statusCode(200).extract().jsonPath();
        Thread.sleep(20);
        // a browser sends the same endpoint with fresh keys after the user re-subscribes
        Map<String, Object> again = subscription((String) subscription.get("endpoint"));
        var second = register(alice, webPush(again)).then().statusCode(200).extract().jsonPath();

        assertEquals(first.getString("deviceId"), second.getString("deviceId"));
        assertEquals(first.getString("createdAt"), second.getString("createdAt"));
        assertTrue(Instant.parse(second.getString("expiresAt")).isAfter(Instant.parse(first.getString("expiresAt"))), "renewed");
        assertEquals("Chrome", second.getString("label"), "a label left out is kept");
        list(alice).then().statusCode(200).body("devices", hasSize(1));

        var targets = store.targets(alice).await().indefinitely();
        assertEquals(1, targets.size());
        assertEquals(((Map<?, ?>) again.get("keys")).get("p256dh"), targets.get(0).p256dh(), "the latest keys are pushed to");
    }

    @Test
    void theTwentyFirstDeviceForgetsTheOneRenewedLongestAgo() {
        String alice = unique("alice");
        List<Map<String, Object>> subscriptions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DeviceStore.MAX_PER_USER; i++) {
            subscriptions.add(subscription());
            ids.add(registered(alice, webPush(subscriptions.get(i))));
        }
        assertEquals(ids, ids(alice), "twenty devices, least recently renewed first");
        // the first one is renewed, so the second is now the one renewed longest ago
        assertEquals(ids.get(0), registered(alice, webPush(subscriptions.get(0))));

        String twentyFirst = registered(alice, webPush(subscription()));

        List<String> kept = ids(alice);
        assertEquals(DeviceStore.MAX_PER_USER, kept.size());
        assertFalse(kept.contains(ids.get(1)), "the one renewed longest ago is forgotten");
        assertTrue(kept.contains(ids.get(0)) && kept.contains(twentyFirst));
        unregister(alice, ids.get(1)).then().statusCode(404);
        // its subscription registers as a new device
        assertNotEquals(ids.get(1), registered(alice, webPush(subscriptions.get(1))));
    }

    @Test
    void aDeviceNotRenewedForSixtyDaysIsForgotten() {
        String alice = unique("alice");
        Map<String, Object> stale = subscription();
        String staleId = registered(alice, webPush(stale));
        String freshId = registered(alice, webPush(subscription()));
        String prefix = DeviceStore.keyPrefix(alice);
        for (String key : RedisInspector.keys(prefix + "*")) {
            long ttl = RedisInspector.pttl(key);
            assertTrue(ttl > SIXTY_DAYS.minusMinutes(1).toMillis() && ttl <= SIXTY_DAYS.toMillis(), key + " lives 60 days: " + ttl);
        }
        // sixty days pass for the first device only: its deadline is now behind us
        RedisInspector.redis().call("ZADD", prefix + "t", Long.toString(System.currentTimeMillis() - 1), staleId);

        assertEquals(List.of(freshId), ids(alice));
        assertEquals(List.of(freshId), store.targets(alice).await().indefinitely().stream().map(PushTarget::deviceId).toList());
        assertEquals(1L, RedisInspector.redis().call("HLEN", prefix + "d"), "its record is gone");
        assertEquals(1L, RedisInspector.redis().call("HLEN", prefix + "a"), "and its address");
        unregister(alice, staleId).then().statusCode(404);
        assertNotEquals(staleId, registered(alice, webPush(stale)), "registering it again makes a new device");
    }

    @Test
    void everythingLapsesTogetherWhenNothingIsRenewed() {
        String alice = unique("alice");
        String deviceId = registered(alice, webPush(subscription()));
        String prefix = DeviceStore.keyPrefix(alice);
        RedisInspector.redis().call("ZADD", prefix + "t", Long.toString(System.currentTimeMillis() - 1), deviceId);

        list(alice).then().statusCode(200).body("devices", empty());
        assertTrue(RedisInspector.keys(prefix + "*").isEmpty(), "no keys are left behind");
    }

    @Test
    void theDispatcherGetsEverythingNeededToPushAndCanForgetADevice() {
        String alice = unique("alice");
        Map<String, Object> subscription = subscription();
        String deviceId = registered(alice, webPush(subscription));

        PushTarget target = store.targets(alice).await().indefinitely().get(0);
        assertEquals(new PushTarget(deviceId, "webpush", (String) subscription.get("endpoint"),
                (String) ((Map<?, ?>) subscription.get("keys")).get("p256dh"), (String) ((Map<?, ?>) subscription.get("keys")).get("auth"),
                null, false), target);

        assertTrue(store.forget(alice, deviceId).await().indefinitely());
        assertFalse(store.forget(alice, deviceId).await().indefinitely(), "forgetting twice is harmless");
        assertTrue(store.targets(alice).await().indefinitely().isEmpty());
        list(alice).then().statusCode(200).body("devices", empty());
    }

    @Test
    void aPlatformThisServerHasNotConfiguredIsRefusedByName() {
        String alice = unique("alice");
        register(alice, Map.of("platform", "fcm", "token", Devices.fcmToken()))
                .then().statusCode(400).body("error", is("invalid_request")).body("message", containsString("fcm"))
                .body("message", containsString("not configured"));
        register(alice, Map.of("platform", "apns", "token", Devices.apnsToken(), "voip", true))
                .then().statusCode(400).body("error", is("invalid_request")).body("message", containsString("apns"));
        list(alice).then().statusCode(200).body("devices", empty());
    }

    @Test
    void badRegistrationsAreRefusedNamingTheField() {
        String alice = unique("alice");
        Map<String, Object> good = subscription();
        List<Map.Entry<String, Map<String, Object>>> cases = new ArrayList<>();
        cases.add(Map.entry("'platform'", Map.of("subscription", good)));
        cases.add(Map.entry("'platform' must be one of", Map.of("platform", "sms", "subscription", good)));
        cases.add(Map.entry("'platform' must be one", Map.of("platform", 1, "subscription", good)));
        cases.add(Map.entry("'subscription' is required", Map.of("platform", "webpush")));
        cases.add(Map.entry("'subscription' must be an object", Map.of("platform", "webpush", "subscription", "https://push.example.test/x")));
        cases.add(Map.entry("'subscription.endpoint' is required", webPush(without(good, "endpoint"))));
        cases.add(Map.entry("'subscription.endpoint' must be an https URL", webPush(with(good, "endpoint", "http://push.example.test/x"))));
        cases.add(Map.entry("'subscription.endpoint' must be an https URL", webPush(with(good, "endpoint", "not a url"))));
        cases.add(Map.entry("'subscription.endpoint' must be an https URL", webPush(with(good, "endpoint", "https:///no-host"))));
        cases.add(Map.entry("'subscription.endpoint' must be a string", webPush(with(good, "endpoint", 42))));
        cases.add(Map.entry("'subscription.expirationTime'", webPush(with(good, "expirationTime", "tomorrow"))));
        cases.add(Map.entry("Unknown field 'subscription.extra'", webPush(with(good, "extra", 1))));
        cases.add(Map.entry("'subscription.keys' is required", webPush(without(good, "keys"))));
        cases.add(Map.entry("'subscription.keys.p256dh' is required", webPush(with(good, "keys", Map.of("auth", Devices.base64Url(new byte[16]))))));
        cases.add(Map.entry("'subscription.keys.p256dh' must be base64url of", webPush(with(good, "keys",
                Map.of("p256dh", Devices.base64Url(new byte[33]), "auth", Devices.base64Url(new byte[16]))))));
        byte[] offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[64] = 1;
        cases.add(Map.entry("'subscription.keys.p256dh' must be base64url of an", webPush(with(good, "keys",
                Map.of("p256dh", Devices.base64Url(offCurve), "auth", Devices.base64Url(new byte[16]))))));
        cases.add(Map.entry("'subscription.keys.p256dh' must be base64url.", webPush(with(good, "keys",
                Map.of("p256dh", "not/base64+url!", "auth", Devices.base64Url(new byte[16]))))));
        cases.add(Map.entry("'subscription.keys.auth' must be base64url of 16 bytes", webPush(with(good, "keys",
                Map.of("p256dh", Devices.p256dh(), "auth", Devices.base64Url(new byte[15]))))));
        cases.add(Map.entry("'subscription.keys.auth' must be a string", webPush(with(good, "keys", Map.of("p256dh", Devices.p256dh(), "auth", 16)))));
        cases.add(Map.entry("'token' does not apply to platform webpush", Map.of("platform", "webpush", "subscription", good, "token", "abc")));
        cases.add(Map.entry("'voip' applies only to platform apns", Map.of("platform", "webpush", "subscription", good, "voip", true)));
        cases.add(Map.entry("'label' must be at most 64 characters", Map.of("platform", "webpush", "subscription", good, "label", "x".repeat(65))));
        cases.add(Map.entry("'label' must be a string", Map.of("platform", "webpush", "subscription", good, "label", 5)));
        cases.add(Map.entry("'voip' must be true or false", Map.of("platform", "apns", "token", Devices.apnsToken(), "voip", "yes")));
        cases.add(Map.entry("Unknown field 'endpoint'", Map.of("platform", "webpush", "subscription", good, "endpoint", "https://x.test")));
        cases.add(Map.entry("'as' must be a user id", Map.of("platform", "webpush", "subscription", good, "as", "not a user id")));
        for (var badCase : cases) {
            register(alice, badCase.getValue()).then().statusCode(400).body("error", is("invalid_request"))
                    .body("message", containsString(badCase.getKey()));
        }

        Api.call(Tokens.user(alice), "unregisterDevice", Map.of()).then().statusCode(400).body("message", containsString("'deviceId'"));
        Api.call(Tokens.user(alice), "unregisterDevice", Map.of("deviceId", 7)).then().statusCode(400)
                .body("message", containsString("'deviceId' must be a string"));
        Api.call(Tokens.user(alice), "listDevices", Map.of("limit", 3)).then().statusCode(400)
                .body("message", containsString("Unknown field 'limit'"));
        list(alice).then().statusCode(200).body("devices", empty());
    }

    @Test
    void aLocalPushServiceOnPlainHttpIsAcceptedOutsideProduction() {
        String alice = unique("alice");
        registered(alice, webPush(subscription("http://127.0.0.1:8999/push/1")));
        registered(alice, webPush(subscription("http://localhost/push/2")));
        assertEquals(2, ids(alice).size());
    }

    @Test
    void aDeviceBelongsToTheUserWhoRegisteredIt() {
        String alice = unique("alice"), mallory = unique("mallory");
        String deviceId = registered(alice, webPush(subscription()));

        unregister(mallory, deviceId).then().statusCode(404).body("error", is("not_found"));
        list(mallory).then().statusCode(200).body("devices", empty());
        unregister(alice, "no-such-device").then().statusCode(404);
        unregister(alice, "").then().statusCode(400).body("message", containsString("deviceId"));
        unregister(alice, "x".repeat(5000)).then().statusCode(404);
        assertEquals(List.of(deviceId), ids(alice));
    }

    @Test
    void aServerTokenManagesDevicesForTheUserNamedInAs() {
        String bob = unique("bob");
        Map<String, Object> body = new HashMap<>(webPush(subscription()));
        body.put("as", bob);
        String deviceId = Api.call(Tokens.server(), "registerDevice", body).then().statusCode(200).extract().path("deviceId");

        assertEquals(List.of(deviceId), ids(bob));
        Api.call(Tokens.server(), "listDevices", Map.of("as", bob)).then().statusCode(200).body("devices.deviceId", is(List.of(deviceId)));
        Api.call(Tokens.server(), "listDevices", Map.of()).then().statusCode(400).body("message", containsString("'as'"));
        Api.call(Tokens.user(unique("eve")), "listDevices", Map.of("as", bob)).then().statusCode(403);
        Api.call(Tokens.server(), "unregisterDevice", Map.of("deviceId", deviceId, "as", bob))
                .then().statusCode(200).body("deviceId", is(deviceId));
        assertEquals(List.of(), ids(bob));
    }

    @Test
    void aBrowserThatChangesHandsRingsOnlyForItsNewUser() {
        String alice = unique("alice"), bob = unique("bob");
        Map<String, Object> shared = subscription();
        String alicesDevice = registered(alice, webPush(shared));
        String alicesOther = registered(alice, webPush(subscription()));

        String bobsDevice = registered(bob, webPush(shared));

        assertNotEquals(alicesDevice, bobsDevice);
        assertEquals(List.of(alicesOther), ids(alice), "alice no longer rings on the browser bob uses now");
        assertEquals(List.of(bobsDevice), ids(bob));
        assertEquals(bob, RedisInspector.redis().call("GET", DeviceStore.claimKey(NewDevice.webPush(
                (String) shared.get("endpoint"), null, null, null).address())));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.remove(key);
        return copy;
    }
}
