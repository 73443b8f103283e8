package dev.beckon.auth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;

/**
 * The token the start-up sends through verification to prepare it: it reaches the signature
 * check, so the key and the algorithms are ready for the first call, and it never verifies.
 */
class TokenWarmUpTest {

    @Test
    void theWarmUpTokenReachesTheSignatureCheckAndIsRefused() throws Exception {
        String pem = Files.readString(Path.of("src/test/resources/keys/app-public.pem"));
        JWTAuthContextInfo context = new JWTAuthContextInfo(KeyUtils.decodePublicKey(pem), "beckon-warm-up");
        var refused = assertThrows(ParseException.class, () -> new DefaultJWTParser(context).parse(TokenWarmUp.token()));
        boolean signatureInvalid = false;
        for (Throwable t = refused; t != null; t = t.getCause()) {
            signatureInvalid |= t instanceof InvalidJwtException invalid && invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID);
        }
        assertTrue(signatureInvalid, "refused for its signature, not before: " + refused);
    }
}
