package dev.beckon.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.beckon.api.ApiException;
import dev.beckon.api.JsonInput;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies the application's user and server tokens with SmallRye JWT (key and issuer from
 * {@code mp.jwt.verify.*}) and says precisely why a token is refused. A token that verified is
 * remembered until it expires: clients send the same token with every call, and checking an RSA
 * signature each time would be most of a call's CPU.
 */
@ApplicationScoped
public class Authenticator {

    private static final int MAX_NAME = 256;
    private static final int MAX_PICTURE = 2048;

    /** Verified tokens by their exact text, so a client's next call skips the signature check. */
    private static final int CACHE_LIMIT = 20_000;

    private record Verified(Caller caller, long expiresAtMillis) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    JWTParser parser;

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
        Verified known = verified.get(token);
        if (known != null) {
            if (known.expiresAtMillis > System.currentTimeMillis()) {
                return known.caller;
            }
            verified.remove(token);
        }
        return verify(token);
    }

    private Caller verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw ApiException.unauthenticated(reason(e));
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("The token is not a valid JWT.");
        }
        String subject = jwt.getSubject();
        if (subject == null || !JsonInput.USER_ID.matcher(subject).matches()) {
            throw ApiException.unauthenticated("The token's 'sub' must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -");
        }
        Set<String> groups = jwt.getGroups();
        boolean server = groups != null && groups.contains(Caller.SERVER_GROUP);
        Caller caller = new Caller(subject, stringClaim(jwt, "name", MAX_NAME), stringClaim(jwt, "picture", MAX_PICTURE), server);
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(token, new Verified(caller, jwt.getExpirationTime() * 1000));
        return caller;
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
