package dev.beckon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import dev.beckon.auth.Pem;
import dev.beckon.redis.EmbeddedRedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the real Redis the tests run against (redis-server from the PATH, else the embedded 6.2
 * binary) on a free loopback port, and points Beckon at it. For tests against the packaged
 * application (production profile) it also supplies the keys production requires.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedRedisServer server;

    /** The Redis the application under test uses. */
    public static EmbeddedRedisServer redis() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        if (server == null) {
            server = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        }
        return Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.redis.hosts", server.uri(),
                "mp.jwt.verify.publickey.location", Path.of("target/test-classes/keys/app-public.pem").toAbsolutePath().toString(),
                "mp.jwt.verify.issuer", Tokens.ISSUER,
                "beckon.token.key-location", tokenKeyFile().toString());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private static Path tokenKeyFile() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Path file = Files.createTempFile("beckon-test-token-key", ".pem");
            Files.writeString(file, Pem.writePrivateKey(generator.generateKeyPair().getPrivate()));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
