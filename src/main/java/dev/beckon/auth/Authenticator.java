package dev.beckon.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.beckon.api.ApiException;
import dev.beckon.api.constraints.UserId;
import dev.beckon.metrics.BeckonMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies the application's user and server tokens with SmallRye JWT (key and issuer from
 * {@code mp.jwt.verify.*}) and says precisely why a token is refused. A token that verified is
 * remembered until it expires: clients send the same token with every call, and checking an RSA
 * signature each time would be most of a call's CPU. The memory is a Caffeine cache bounded by
 * size ({@link #CACHE_BYTES}, least recently and frequently used go first) and by each token's
 * {@code exp}; it is keyed by a SHA-256 of the token, so no usable token sits in memory.
 */
@ApplicationScoped
// the classes Caffeine picks for this cache's features by name: a native image must keep them
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSSMWA", "com.github.benmanes.caffeine.cache.PSWMW" })
public class Authenticator {

    private static final int MAX_NAME = 256;
    private static final int MAX_PICTURE = 2048;

    /**
     * About what the cache may hold: 16 MiB, weighed per entry as its strings plus a fixed
     * overhead (see {@link #weight}); about 45,000 callers with short names, fewer with long ones.
     */
    static final long CACHE_BYTES = 16L << 20;
    /** Heap of one entry besides its claims' characters: key, records, cache node (measured: about 340 bytes). */
    private static final int ENTRY_OVERHEAD = 340;

    private record Verified(Caller caller, long expiresAtMillis) {
    }

    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .weigher((String key, Verified entry) -> weight(entry.caller))
            .expireAfter(Expiry.creating((String key, Verified entry) ->
                    Duration.ofMillis(Math.max(0, entry.expiresAtMillis - System.currentTimeMillis()))))
            .recordStats()
            .build();

    @Inject
    BeckonMetrics metrics;

    @Inject
    JWTParser parser;

    @PostConstruct
    void registerMetrics() {
        metrics.tokenCache(verified);
    }

    /** The caller of a request whose {@code Authorization} header (or query token) is {@code header}. */
    public Caller fromAuthorizationHeader(String header) {
        if (header == null || header.isBlank()) {
            throw ApiException.unauthenticated("Missing token: send 'Authorization: Bearer <JWT>'.");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthenticated("The Authorization header must be 'Bearer <JWT>'.");
        }
        return fromToken(header.substring(7).trim());
    }

    public Caller fromToken(String token) {
        if (token == null || token.isEmpty()) {
            throw ApiException.unauthenticated("Missing token: send 'Authorization: Bearer <JWT>'.");
        }
        String key = hash(token);
        Verified known = verified.getIfPresent(key);
        if (known != null && known.expiresAtMillis > System.currentTimeMillis()) {
            return known.caller;
        }
        return verify(token, key);
    }

    private Caller verify(String token, String key) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw ApiException.unauthenticated(reason(e));
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("The token is not a valid JWT.");
        }
        String subject = jwt.getSubject();
        if (subject == null || !UserId.FORMAT.matcher(subject).matches()) {
            throw ApiException.unauthenticated("The token's 'sub' must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -");
        }
        Set<String> groups = jwt.getGroups();
        boolean server = groups != null && groups.contains(Caller.SERVER_GROUP);
        Caller caller = new Caller(subject, stringClaim(jwt, "name", MAX_NAME), stringClaim(jwt, "picture", MAX_PICTURE), server);
        long expiresAtMillis = TimeUnit.SECONDS.toMillis(jwt.getExpirationTime());
        if (expiresAtMillis > System.currentTimeMillis()) {
            verified.put(key, new Verified(caller, expiresAtMillis));
        }
        return caller;
    }

    /** The cache key of a token: its SHA-256, base64. */
    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Roughly the bytes an entry takes: its claims (a byte a character, as Java stores Latin-1) and the objects around them. */
    private static int weight(Caller caller) {
        return ENTRY_OVERHEAD + caller.subject().length() + length(caller.name()) + length(caller.picture());
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String stringClaim(JsonWebToken jwt, String name, int maxLength) {
        Object value = jwt.getClaim(name);
        if (value instanceof jakarta.json.JsonString s) {
            value = s.getString();
        }
        return value instanceof String s && !s.isEmpty() && s.length() <= maxLength ? s : null;
    }

    private static String reason(ParseException e) {
        int skew = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("mp.jwt.verify.clock.skew", Integer.class).orElse(60);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "The token has expired.";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "The token's issuer (iss) is not the one this Beckon trusts.";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "The token's signature is invalid.";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "The token has no expiry (exp).";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                    return "The token is not valid yet (nbf, with " + skew + " s of clock skew allowed).";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
                    // only when smallrye.jwt.time-to-live is set to a positive value
                    return "The token has no issue time (iat), which smallrye.jwt.time-to-live requires.";
                }

            }
        }
        return "The token could not be verified: it must be a JWT signed by the application's key.";
    }
}
