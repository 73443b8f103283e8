package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.webpush.VapidKey;
import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;

/** The packaged application in production: Web Push is off until configured, and a half-configured key stops the start. */
class PushStartupIT {

    @TempDir
    static Path directory;

    private static EmbeddedRedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @Test
    void withoutPushSettingsNoPlatformIsOn() throws Exception {
        try (ServiceProcess beckon = ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), ServiceProcess.productionSettings(redis.uri()))) {
            given().baseUri(beckon.baseUrl()).when().get("/push/config").then().statusCode(200)
                    .body("webpush", nullValue()).body("fcm", is(false)).body("apns", is(false))
                    .body(containsString("\"webpush\":null"));
        }
    }

    @Test
    void aConfiguredVapidKeyIsTheOneBrowsersSubscribeWith() throws Exception {
        ECPrivateKey key = (ECPrivateKey) EcKeys.generate().getPrivate();
        Path file = directory.resolve("vapid.pem");
        java.nio.file.Files.writeString(file, EcKeys.writePrivateKey(key));
        Map<String, String> env = new HashMap<>(ServiceProcess.productionSettings(redis.uri()));
        env.put("BECKON_PUSH_VAPID_PRIVATE_KEY_LOCATION", file.toString());
        env.put("BECKON_PUSH_VAPID_SUBJECT", "mailto:ops@example.com");

        try (ServiceProcess beckon = ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), env)) {
            given().baseUri(beckon.baseUrl()).when().get("/push/config").then().statusCode(200)
                    .body("webpush.applicationServerKey", is(new VapidKey(key, "mailto:ops@example.com").applicationServerKey()));
        }
    }

    @Test
    void aVapidKeyWithoutASubjectStopsTheStartNamingTheSetting() throws Exception {
        Path file = directory.resolve("vapid-no-subject.pem");
        java.nio.file.Files.writeString(file, EcKeys.writePrivateKey((ECPrivateKey) EcKeys.generate().getPrivate()));
        Map<String, String> env = new HashMap<>(ServiceProcess.productionSettings(redis.uri()));
        env.put("BECKON_PUSH_VAPID_PRIVATE_KEY_LOCATION", file.toString());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), env).close());

        assertThat(refused.getMessage(), containsString("BECKON_PUSH_VAPID_SUBJECT (beckon.push.vapid.subject) is not set"));
    }
}
