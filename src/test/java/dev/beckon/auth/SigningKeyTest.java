package dev.beckon.auth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A key Beckon cannot use stops it at start-up with a message that says what to fix. */
class SigningKeyTest {

    @Test
    void aMissingKeyFileFailsWithTheSettingsName() {
        var e = assertThrows(IllegalStateException.class, () -> new SigningKey(keyAt("/nowhere/key.pem")));
        assertTrue(e.getMessage().contains("BECKON_TOKEN_KEY_LOCATION"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAPrivateKeyFails() throws Exception {
        Path file = Files.createTempFile("not-a-key", ".pem");
        Files.writeString(file, "hello");
        var e = assertThrows(IllegalStateException.class, () -> new SigningKey(keyAt(file.toString())));
        assertTrue(e.getMessage().contains("PEM"), e.getMessage());
    }

    @Test
    void aPkcs1KeyFromOpensslIsAccepted() throws Exception {
        var pair = java.security.KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        var key = (java.security.interfaces.RSAPrivateCrtKey) pair.generateKeyPair().getPrivate();
        // PKCS#8 → PKCS#1: the RSAPrivateKey is the OCTET STRING at the end of the PKCS#8 structure
        byte[] pkcs8 = key.getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        Path file = Files.createTempFile("pkcs1", ".pem");
        Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n");
        SigningKey signingKey = new SigningKey(keyAt(file.toString()));
        assertTrue(signingKey.jwks().contains("\"kid\":\"" + signingKey.keyId() + "\""));
    }

    private static Optional<String> keyAt(String location) {
        return Optional.of(location);
    }
}
