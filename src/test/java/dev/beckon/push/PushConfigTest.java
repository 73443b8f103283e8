package dev.beckon.push;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.beckon.push.crypto.Jws;
import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What a client learns before registering a device, without a token. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class PushConfigTest {

    @Test
    void aBrowserGetsTheKeyToSubscribeWithAndSeesWhichPlatformsAreOn() {
        Map<String, Object> config = given().when().get("/push/config").then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getMap("");

        assertThat(config.get("fcm"), is(false));
        assertThat(config.get("apns"), is(false));
        String key = given().when().get("/push/config").then().extract().jsonPath().getString("webpush.applicationServerKey");
        byte[] point = Jws.fromBase64Url(key);
        assertThat(point.length, is(65));
        assertThat(point[0], is((byte) 0x04));
        assertThat(key.contains("="), is(false));
    }

    @Test
    void pushMetricsAreExported() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics.contains("beckon_push_attempts_total{outcome=\"delivered\",platform=\"webpush\"}"), is(true));
    }
}
