package dev.beckon.auth;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.respond;
import static dev.beckon.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A media server admits users by verifying their access token against Beckon's JWKS. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class AccessTokenTest {

    @Test
    void theOwnerTokenVerifiesAgainstTheJwksAndCarriesTheContractClaims() throws Exception {
        String alice = unique("alice");
        var created = conference(alice, Map.of("protected", true));

        JwtClaims claims = verify(created.getString("ownerToken"));
        assertEquals("beckon", claims.getIssuer());
        assertEquals(List.of("conference"), claims.getAudience());
        assertEquals(alice, claims.getSubject());
        assertEquals(created.getString("conferenceId"), claims.getClaimValueAsString("cid"));
        assertEquals(12, claims.getStringListClaimValue("perms").size());
        assertTrue(claims.getExpirationTime().getValueInMillis() > System.currentTimeMillis());
    }

    @Test
    void anAcceptedInviteesTokenCarriesTheirPermissions() throws Exception {
        String alice = unique("alice"), bob = unique("bob");
        var created = given().auth().oauth2(dev.beckon.support.Tokens.user(alice)).contentType("application/json")
                .body(Map.of("protected", true, "participants", List.of(Map.of("userId", bob, "permissions", List.of("JOIN", "SEND_AUDIO")))))
                .when().post("/createConference").then().statusCode(200).extract().jsonPath();
        String token = respond(bob, invitationOf(created, bob), "accept").then().statusCode(200).extract().path("accessToken");

        JwtClaims claims = verify(token);
        assertEquals(bob, claims.getSubject());
        assertEquals(List.of("JOIN", "SEND_AUDIO"), claims.getStringListClaimValue("perms"));
    }

    @Test
    void aTamperedTokenDoesNotVerify() {
        String token = conference(unique("alice"), Map.of("protected", true)).getString("ownerToken");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThrows(InvalidJwtException.class, () -> verify(forged));
    }

    private static JwtClaims verify(String token) throws Exception {
        JsonWebKeySet jwks = new JsonWebKeySet(given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        var key = new VerificationJwkSelector().select(jws, jwks.getJsonWebKeys());
        return new JwtConsumerBuilder()
                .setVerificationKey(key.getKey())
                .setExpectedIssuer("beckon")
                .setExpectedAudience("conference")
                .setRequireExpirationTime()
                .build()
                .processToClaims(token);
    }
}
