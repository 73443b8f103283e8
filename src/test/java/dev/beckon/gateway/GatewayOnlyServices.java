package dev.beckon.gateway;

import java.util.Map;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Redis and the keys, without a webhook receiver: for tests that weigh the heap of the
 * JVM they run in, where a receiver keeping every webhook it got would count as well.
 */
public class GatewayOnlyServices implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedRedisServer redis;

    static EmbeddedRedisServer redis() {
        return redis;
    }

    @Override
    public Map<String, String> start() {
        redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        return Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.redis.hosts", redis.uri(),
                "mp.jwt.verify.publickey.location", Tokens.appPublicKeyFile(),
                "mp.jwt.verify.issuer", Tokens.ISSUER,
                "beckon.token.key-location", Tokens.newSigningKeyFile().toString());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
            redis = null;
        }
    }
}
