package dev.beckon.gateway;

import static dev.beckon.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.beckon.auth.Pem;
import dev.beckon.support.BackingServices;
import dev.beckon.support.Pause;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/**
 * A device that reconnects with the token it used before is not verified again (no RSA check per
 * connection) until that token's {@code exp}; then it is verified afresh.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class TokenCacheTest {

    @Inject
    MeterRegistry registry;

    @Test
    void aTokenIsVerifiedOnceUntilItsExpiry() throws Exception {
        String token = Jwt.issuer(Tokens.ISSUER).subject(unique("bob")).expiresAt(Instant.now().plusSeconds(3)).sign(appKey());
        double hits = gets("hit");
        double misses = gets("miss");

        connectAndLeave(token);
        assertEquals(misses + 1, gets("miss"), "the first connection verifies the token");
        connectAndLeave(token);
        connectAndLeave(token);
        assertEquals(hits + 2, gets("hit"), "the next ones find it verified");
        assertEquals(misses + 1, gets("miss"));

        Pause.sleep(Duration.ofSeconds(3).toMillis() + 500);
        // past exp (SmallRye JWT still accepts it within its clock skew): verified again
        connectAndLeave(token);
        assertEquals(misses + 2, gets("miss"), "an expired entry is not used");
    }

    private static void connectAndLeave(String token) {
        SseClient.connect(token).close();
    }

    private double gets(String result) {
        FunctionCounter counter = registry.find("cache.gets").tag("cache", "beckon.tokens").tag("result", result).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private static PrivateKey appKey() throws IOException, GeneralSecurityException {
        try (InputStream in = TokenCacheTest.class.getClassLoader().getResourceAsStream("keys/app-private.pem")) {
            return Pem.readRsaPrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }
}
