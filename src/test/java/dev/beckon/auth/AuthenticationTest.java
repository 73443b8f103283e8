package dev.beckon.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(BackingServices.class)
class AuthenticationTest {

    private static final String BODY = "{\"direction\":\"incoming\"}";

    @Test
    void aValidUserTokenIsAccepted() {
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(200);
    }

    @Test
    void noTokenIsUnauthenticated() {
        given().contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401)
                .body("error", is("unauthenticated"))
                .body("message", containsString("Bearer"));
    }

    @Test
    void aTokenThatIsNotBearerIsUnauthenticated() {
        given().header("Authorization", "Basic Ym9iOnNlY3JldA==").contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("error", is("unauthenticated"));
    }

    @Test
    void garbageIsUnauthenticated() {
        for (String token : new String[] { "garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9..", "ey" }) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(BODY)
                    .when().post("/listInvitations")
                    .then().statusCode(401).body("error", is("unauthenticated"));
        }
    }

    @Test
    void anExpiredTokenIsUnauthenticatedAndSaysSo() {
        given().auth().oauth2(Tokens.expired("bob")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("message", containsString("expired"));
    }

    @Test
    void aTokenSignedByAnotherKeyIsUnauthenticated() {
        given().auth().oauth2(Tokens.signedByAnotherKey("bob")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("error", is("unauthenticated"));
    }

    @Test
    void anUnsignedTokenIsUnauthenticated() {
        given().auth().oauth2(Tokens.unsigned("bob")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("error", is("unauthenticated"));
    }

    @Test
    void aTokenFromAnotherIssuerIsUnauthenticated() {
        given().auth().oauth2(Tokens.wrongIssuer("bob")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("message", containsString("issuer"));
    }

    @Test
    void aSubjectThatIsNotAUserIdIsUnauthenticated() {
        given().auth().oauth2(Tokens.withSubject("bob smith")).contentType(ContentType.JSON).body(BODY)
                .when().post("/listInvitations")
                .then().statusCode(401).body("message", containsString("sub"));
    }

    @Test
    void aUserTokenNamingSomeoneElseInAsIsForbidden() {
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON)
                .body("{\"direction\":\"incoming\",\"as\":\"alice\"}")
                .when().post("/listInvitations")
                .then().statusCode(403).body("error", is("forbidden"));
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON)
                .body("{\"direction\":\"incoming\",\"as\":\"bob\"}")
                .when().post("/listInvitations")
                .then().statusCode(200);
    }

    @Test
    void healthAndKeysNeedNoToken() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/.well-known/jwks.json").then().statusCode(200).body("keys[0].kty", is("RSA"));
    }
}
