package dev.beckon.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.beckon.config.BeckonConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Beckon's own RS256 key, which signs conference access tokens; its public half is served as
 * a JWKS. Loaded from {@code beckon.token.key-location}; in dev and test, generated when unset
 * (dev keeps it under {@code target/} so live reloads keep issued tokens valid). Production
 * refuses to start without one, or with one it cannot read, rather than fail every request later.
 */
@Startup
@Singleton
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class);
    private static final Path DEV_KEY = Path.of("target", "dev-keys", "beckon-token-key.pem");

    private final RSAPrivateCrtKey privateKey;
    private final String keyId;
    private final String jwks;

    @Inject
    public SigningKey(BeckonConfig config) {
        this(config.token().keyLocation());
    }

    /** {@code keyLocation}: a PEM file or URL; empty: generated in dev and test, refused in production. */
    SigningKey(Optional<String> keyLocation) {
        this.privateKey = load(keyLocation);
        RSAPublicKey publicKey = publicOf(privateKey);
        String n = base64Url(unsigned(publicKey.getModulus()));
        String e = base64Url(unsigned(publicKey.getPublicExponent()));
        this.keyId = thumbprint(n, e);
        this.jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + keyId
                + "\",\"n\":\"" + n + "\",\"e\":\"" + e + "\"}]}";
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String keyId() {
        return keyId;
    }

    /** The public key set, as served at {@code /.well-known/jwks.json}. */
    public String jwks() {
        return jwks;
    }

    private static RSAPrivateCrtKey load(Optional<String> keyLocation) {
        if (keyLocation.isPresent()) {
            String location = keyLocation.get();
            try {
                return asCrt(Pem.readRsaPrivateKey(KeyUtils.readKeyContent(location)), location);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalStateException("beckon.token.key-location (BECKON_TOKEN_KEY_LOCATION) = '" + location
                        + "' cannot be used as Beckon's RS256 signing key: " + e.getMessage()
                        + ". Provide an RSA private key in PEM, e.g. from 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'.", e);
            }
        }
        LaunchMode mode = LaunchMode.current();
        if (mode == LaunchMode.DEVELOPMENT) {
            return devKey();
        }
        if (mode == LaunchMode.TEST) {
            return generate();
        }
        throw new IllegalStateException("beckon.token.key-location (BECKON_TOKEN_KEY_LOCATION) is not set: Beckon needs an RSA private key "
                + "in PEM to sign conference access tokens, the same on every instance. Create one with "
                + "'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out beckon-token-key.pem'.");
    }

    private static RSAPrivateCrtKey devKey() {
        try {
            if (Files.exists(DEV_KEY)) {
                return asCrt(Pem.readRsaPrivateKey(Files.readString(DEV_KEY)), DEV_KEY.toString());
            }
            RSAPrivateCrtKey key = generate();
            Files.createDirectories(DEV_KEY.getParent());
            Files.writeString(DEV_KEY, Pem.writePrivateKey(key), StandardCharsets.US_ASCII);
            LOG.infof("Generated a development token signing key in %s", DEV_KEY);
            return key;
        } catch (IOException | GeneralSecurityException e) {
            LOG.warnf("Could not keep the development signing key in %s (%s); using a new one", DEV_KEY, e.getMessage());
            return generate();
        }
    }

    private static RSAPrivateCrtKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an RSA key", e);
        }
    }

    private static RSAPrivateCrtKey asCrt(PrivateKey key, String location) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey crt) {
            if (crt.getModulus().bitLength() < 2048) {
                throw new GeneralSecurityException("the RSA key in " + location + " has " + crt.getModulus().bitLength()
                        + " bits; RS256 needs at least 2048");
            }
            return crt;
        }
        throw new GeneralSecurityException("the key in " + location + " is not a complete RSA private key");
    }

    private static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 7638 JWK thumbprint: a kid that any party can recompute from the key. */
    private static String thumbprint(String n, String e) {
        String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
        try {
            return base64Url(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
