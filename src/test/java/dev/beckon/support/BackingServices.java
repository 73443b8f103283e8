package dev.beckon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.beckon.auth.Pem;
import dev.beckon.redis.EmbeddedRedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What Beckon runs against in the tests: a real Redis (redis-server from the PATH, else the
 * embedded 6.2 binary) on a free loopback port, and a webhook receiver standing in for the
 * application's backend. For tests of the packaged application (production profile) it also
 * supplies the keys production requires.
 */
public class BackingServices implements QuarkusTestResourceLifecycleManager {

    private static final Logger LOG = Logger.getLogger(BackingServices.class);

    private static EmbeddedRedisServer redis;
    private static WebhookReceiver webhooks;

    public static EmbeddedRedisServer redis() {
        return redis;
    }

    public static WebhookReceiver webhooks() {
        return webhooks;
    }

    @Override
    public Map<String, String> start() {
        if (redis == null) {
            redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
            LOG.infof("Tests run against Redis %s at %s", redis.version(), redis.uri());
        }
        if (webhooks == null) {
            webhooks = WebhookReceiver.start();
        }
        return Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.redis.hosts", redis.uri(),
                "mp.jwt.verify.publickey.location", Path.of("target/test-classes/keys/app-public.pem").toAbsolutePath().toString(),
                "mp.jwt.verify.issuer", Tokens.ISSUER,
                "beckon.token.key-location", tokenKeyFile().toString(),
                "beckon.webhook.url", webhooks.url(),
                "beckon.webhook.secret", webhooks.secret(),
                "beckon.webhook.initial-backoff", "200ms",
                "beckon.webhook.max-attempts", "4",
                "beckon.events.heartbeat", "1s");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        if (webhooks != null) {
            webhooks.stop();
            webhooks = null;
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
