package dev.beckon.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The key set is served in the type the client asks for, and a type it cannot have is a JSON 406. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class JwksTest {

    private static final String PATH = "/.well-known/jwks.json";

    @Test
    void aClientThatAsksForJsonGetsJson() {
        given().accept("application/json")
                .when().get(PATH)
                .then().statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .body("keys[0].kty", is("RSA"));
    }

    @Test
    void anyOtherClientGetsTheJwkSetType() {
        for (String accept : new String[] { "*/*", "application/jwk-set+json", "application/*", "application/jwk-set+json, application/json;q=0.5" }) {
            given().accept(accept)
                    .when().get(PATH)
                    .then().statusCode(200)
                    .header("Content-Type", startsWith("application/jwk-set+json"));
        }
        given().header("Accept", "application/json, application/jwk-set+json;q=0.5")
                .when().get(PATH)
                .then().statusCode(200)
                .header("Content-Type", startsWith("application/json"));
    }

    @Test
    void aTypeItDoesNotProduceIsA406WithTheErrorBody() {
        given().accept("text/html")
                .when().get(PATH)
                .then().statusCode(406)
                .header("Content-Type", startsWith("application/json"))
                .body("error", is("invalid_request"))
                .body("message", containsString("Accept"));
    }

    @Test
    void aMethodItDoesNotAnswerIsA405WithTheErrorBody() {
        given().when().delete(PATH)
                .then().statusCode(405)
                .header("Content-Type", startsWith("application/json"))
                .body("error", is("invalid_request"))
                .body("message", containsString("method"));
    }
}
