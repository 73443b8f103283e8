package dev.beckon.device;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.beckon.auth.Pem;
import dev.beckon.support.Api;
import dev.beckon.support.Tokens;
import io.restassured.response.Response;

/** Devices as browsers and phones would register them, and the calls of the device functions. */
public final class Devices {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Devices() {
    }

    /** A fresh browser push subscription, as {@code PushSubscription.toJSON()} gives it. */
    static Map<String, Object> subscription() {
        return subscription("https://push.example.test/wpush/v2/" + randomText(24));
    }

    public static Map<String, Object> subscription(String endpoint) {
        Map<String, Object> subscription = new HashMap<>();
        subscription.put("endpoint", endpoint);
        subscription.put("expirationTime", null);
        subscription.put("keys", Map.of("p256dh", p256dh(), "auth", base64Url(random(16))));
        return subscription;
    }

    public static Map<String, Object> webPush(Map<String, Object> subscription) {
        return Map.of("platform", "webpush", "subscription", subscription);
    }

    /** A token shaped like an FCM registration token. */
    public static String fcmToken() {
        return randomText(22) + ":APA91b" + randomText(134);
    }

    /** A 32-byte APNs device token in hex. */
    static String apnsToken() {
        return HexFormat.of().formatHex(random(32));
    }

    /** The base64url uncompressed point of a fresh P-256 key, as a browser sends it. */
    static String p256dh() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
            byte[] point = new byte[65];
            point[0] = 0x04;
            copy(key.getW().getAffineX(), point, 1);
            copy(key.getW().getAffineY(), point, 33);
            return base64Url(point);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response register(String userId, Map<String, Object> body) {
        return Api.call(Tokens.user(userId), "registerDevice", body);
    }

    static String registered(String userId, Map<String, Object> body) {
        return register(userId, body).then().statusCode(200).extract().path("deviceId");
    }

    static Response list(String userId) {
        return Api.call(Tokens.user(userId), "listDevices", Map.of());
    }

    static List<String> ids(String userId) {
        return list(userId).then().statusCode(200).extract().path("devices.deviceId");
    }

    static Response unregister(String userId, String deviceId) {
        return Api.call(Tokens.user(userId), "unregisterDevice", Map.of("deviceId", deviceId));
    }

    /** A Google service-account file and an APNs .p8 key, so the application under test has FCM and APNs on. */
    static Map<String, String> fcmAndApnsSettings() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            Path serviceAccount = Files.createTempFile("beckon-fcm", ".json");
            Files.writeString(serviceAccount, """
                    {"type": "service_account", "project_id": "beckon-test", "client_email": "beckon@beckon-test.iam.gserviceaccount.com",
                     "token_uri": "http://127.0.0.1:9/token", "private_key": "%s"}
                    """.formatted(Pem.writePrivateKey(rsa.generateKeyPair().getPrivate()).replace("\n", "\\n")));
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            Path apnsKey = Files.createTempFile("beckon-apns", ".p8");
            Files.writeString(apnsKey, Pem.writePrivateKey(ec.generateKeyPair().getPrivate()));
            serviceAccount.toFile().deleteOnExit();
            apnsKey.toFile().deleteOnExit();
            return Map.of(
                    "beckon.push.fcm.service-account-location", serviceAccount.toString(),
                    "beckon.push.fcm.url", "http://127.0.0.1:9",
                    "beckon.push.apns.key-location", apnsKey.toString(),
                    "beckon.push.apns.key-id", "ABC123DEFG",
                    "beckon.push.apns.team-id", "DEF123GHIJ",
                    "beckon.push.apns.topic", "dev.beckon.test",
                    "beckon.push.apns.url", "http://127.0.0.1:9");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void copy(BigInteger coordinate, byte[] into, int at) {
        byte[] bytes = coordinate.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomText(int length) {
        return base64Url(random(length)).substring(0, length);
    }
}
