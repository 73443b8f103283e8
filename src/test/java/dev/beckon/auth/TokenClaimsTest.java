package dev.beckon.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The claims a user token needs are the README's: iss, sub and exp. A token a backend writes by
 * hand, without iat, is accepted; exp may be up to the 60 s clock skew in the past.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class TokenClaimsTest {

    private static final String BODY = "{\"direction\":\"incoming\"}";

    @Test
    void aTokenWithoutIatIsAccepted() {
        String token = signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"alice\",\"name\":\"Alice\",\"exp\":" + (now() + 3600) + "}");
        call(token).then().statusCode(200);
    }

    @Test
    void aTokenWithIatIsAccepted() {
        String token = signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"alice\",\"iat\":" + now() + ",\"exp\":" + (now() + 3600) + "}");
        call(token).then().statusCode(200);
    }

    @Test
    void aTokenWithoutExpIsRefusedAndSaysSo() {
        String token = signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"alice\",\"iat\":" + now() + "}");
        call(token).then().statusCode(401).body("error", is("unauthenticated")).body("message", containsString("exp"));
    }

    @Test
    void aTokenWithoutSubIsRefusedAndSaysSo() {
        String token = signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"exp\":" + (now() + 3600) + "}");
        call(token).then().statusCode(401).body("message", containsString("sub"));
    }

    @Test
    void expiryWithinTheClockSkewIsTolerated() {
        call(signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"alice\",\"exp\":" + (now() - 20) + "}")).then().statusCode(200);
        call(signed("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"alice\",\"exp\":" + (now() - 120) + "}"))
                .then().statusCode(401).body("message", containsString("expired"));
    }

    private static io.restassured.response.Response call(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(BODY).when().post("/listInvitations");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** Exactly this payload, signed RS256 with the application's key, as a hand-written backend would. */
    private static String signed(String payload) {
        try (InputStream in = TokenClaimsTest.class.getClassLoader().getResourceAsStream("keys/app-private.pem")) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", "JWT");
            jws.setKey(Pem.readRsaPrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII)));
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
