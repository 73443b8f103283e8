package dev.beckon.cors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Outside dev mode no other origin is allowed until the operator lists it. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class CrossOriginOffByDefaultTest {

    @Test
    void aPreflightFromAnotherOriginGetsNoPermission() {
        given().header("Origin", "https://app.example.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/createConference")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
