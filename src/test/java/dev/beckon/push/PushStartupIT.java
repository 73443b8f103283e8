package dev.beckon.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.webpush.VapidKey;
import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.Tokens;

/** The packaged application in production: Web Push is off until configured, and a half-configured key stops the start. */
class PushStartupIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void aCallRingsARegisteredPhoneThroughFcmAndItsCancelStopsIt() throws Exception {
        // the ring path of the packaged build (native too): the service account's RS256 assertion, the
        // token exchange and messages:send on the HTTP client. (A production build takes only https Web
        // Push endpoints, which the local Web Push service is not: that path is tested in the JVM.)
        Path accounts = java.nio.file.Files.createDirectories(directory.resolve("fcm"));
        String alice = "alice-" + System.nanoTime(), bob = "bob-" + System.nanoTime(), phone = "phone-" + System.nanoTime() + ":APA91b" + "x".repeat(120);
        try (FcmStandIn google = new FcmStandIn(accounts)) {
            Map<String, String> env = new HashMap<>(ServiceProcess.productionSettings(redis.uri()));
            env.put("BECKON_PUSH_FCM_SERVICE_ACCOUNT_LOCATION", google.serviceAccountFile().toString());
            env.put("BECKON_PUSH_FCM_URL", google.baseUrl().toString());
            try (ServiceProcess beckon = ServiceProcess.startPackaged(EmbeddedRedisServer.freePort(), env)) {
                given().baseUri(beckon.baseUrl()).auth().oauth2(Tokens.user(bob)).contentType("application/json")
                        .body(Map.of("platform", "fcm", "token", phone))
                        .when().post("/registerDevice").then().statusCode(200);

                String invitationId = given().baseUri(beckon.baseUrl()).auth().oauth2(Tokens.user(alice))
                        .contentType("application/json").body(Map.of("participants", List.of(Map.of("userId", bob))))
                        .when().post("/createConference").then().statusCode(200)
                        .extract().path("invitations[0].invitationId");
                await().atMost(Duration.ofSeconds(30)).until(() -> google.messages().size() == 1);
                assertEquals(List.of("invitation.received"), pushedTypes(google, invitationId));

                given().baseUri(beckon.baseUrl()).auth().oauth2(Tokens.user(alice)).contentType("application/json")
                        .body(Map.of("invitationId", invitationId)).when().post("/cancel").then().statusCode(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> google.messages().size() == 2);
                assertEquals(List.of("invitation.received", "invitation.canceled"), pushedTypes(google, invitationId));
                assertEquals(List.of(), google.refusals(), "requests the stand-in refused");
            }
        }
    }

    /** The types of the CloudEvents pushed for an invitation, in order, as FCM received them (message.data.event). */
    private static List<String> pushedTypes(FcmStandIn google, String invitationId) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        for (JsonNode message : google.messages()) {
            JsonNode event = JSON.readTree(message.at("/data/event").asText());
            if (invitationId.equals(event.at("/data/invitationId").asText())) {
                types.add(event.path("type").asText());
            }
        }
        return types;
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
