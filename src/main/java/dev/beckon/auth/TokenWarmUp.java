package dev.beckon.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.api.ApiException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * Prepares token verification while the application starts, on a thread of its own: the first
 * verification reads the application's public key and has the JWT library look up every
 * algorithm it knows, which is most of the first call's time. A token with a signature no key
 * made goes through all of it and is refused; nothing is remembered of it (the parser is asked
 * directly, not the {@link Authenticator}'s cache, so no metric counts it).
 */
@ApplicationScoped
public class TokenWarmUp {

    private static final Logger LOG = Logger.getLogger(TokenWarmUp.class);

    @Inject
    JWTParser parser;

    @Inject
    Authenticator authenticator;

    /** After the configuration checks, before the other start-up work, which it then runs beside. */
    void start(@Observes @Priority(2) StartupEvent event) {
        Thread thread = new Thread(this::warmUp, "beckon-token-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    void warmUp() {
        try {
            // creates the Authenticator (its cache and metrics); an empty token is refused before the cache
            authenticator.fromToken("");
        } catch (ApiException expected) {
            // refused, as every empty token is
        } catch (RuntimeException stopping) {
            // the application stopped before the warm-up ran: nothing to prepare any more
            LOG.debugf("Token verification not prepared: %s", stopping);
            return;
        }
        try {
            parser.parse(token());
        } catch (Exception expected) {
            // refused: the key is loaded and the signature algorithms are ready
            LOG.debugf("Token verification prepared (%s)", expected.getClass().getSimpleName());
        }
    }

    /** An RS256 token whose 2048-bit signature no key made. */
    static String token() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
        String claims = url.encodeToString(("{\"iss\":\"beckon-warm-up\",\"sub\":\"warm-up\",\"exp\":"
                + Instant.now().plusSeconds(60).getEpochSecond() + "}").getBytes(StandardCharsets.US_ASCII));
        byte[] signature = new byte[256];
        Arrays.fill(signature, (byte) 1);
        return header + "." + claims + "." + url.encodeToString(signature);
    }
}
