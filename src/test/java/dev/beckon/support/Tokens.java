package dev.beckon.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import dev.beckon.auth.Pem;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Tokens as the application's backend would sign them (and a few it never would). */
public final class Tokens {

    public static final String ISSUER = "https://app.example.test";

    private static final PrivateKey APP_KEY = key("keys/app-private.pem");
    private static final PrivateKey OTHER_KEY = key("keys/other-private.pem");

    private Tokens() {
    }

    /** The file of the application's public key, the one Beckon verifies these tokens with. */
    public static String appPublicKeyFile() {
        return Path.of("target/test-classes/keys/app-public.pem").toAbsolutePath().toString();
    }

    /** A fresh RSA key for Beckon to sign access tokens with, as a PEM file deleted at exit. */
    public static Path newSigningKeyFile() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Path file = Files.createTempFile("beckon-token-key", ".pem");
            Files.writeString(file, Pem.writePrivateKey(generator.generateKeyPair().getPrivate()));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String user(String userId) {
        return sign(claims(userId));
    }

    public static String user(String userId, String name, String picture) {
        JwtClaimsBuilder claims = claims(userId).claim("name", name);
        if (picture != null) {
            claims.claim("picture", picture);
        }
        return sign(claims);
    }

    /** The application's backend: may act for any user with {@code as}. */
    public static String server() {
        return sign(claims("backend").groups(Set.of("beckon-server")));
    }

    public static String expired(String userId) {
        return sign(Jwt.issuer(ISSUER).subject(userId).issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresAt(Instant.now().minus(Duration.ofHours(1))));
    }

    public static String wrongIssuer(String userId) {
        return sign(Jwt.issuer("https://someone-else.example").subject(userId).expiresAt(Instant.now().plus(Duration.ofHours(1))));
    }

    public static String signedByAnotherKey(String userId) {
        return claims(userId).sign(OTHER_KEY);
    }

    /** A token whose header says {@code alg: none} and that carries no signature. */
    public static String unsigned(String userId) {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + userId + "\",\"exp\":"
                + (Instant.now().getEpochSecond() + 3600) + "}");
        return header + "." + payload + ".";
    }

    public static String withSubject(String subject) {
        return sign(claims(subject));
    }

    private static JwtClaimsBuilder claims(String userId) {
        return Jwt.issuer(ISSUER).subject(userId).expiresAt(Instant.now().plus(Duration.ofHours(1)));
    }

    private static String sign(JwtClaimsBuilder claims) {
        return claims.sign(APP_KEY);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey key(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            return Pem.readRsaPrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
