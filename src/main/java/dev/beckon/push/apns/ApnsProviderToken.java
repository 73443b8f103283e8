package dev.beckon.push.apns;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.beckon.push.crypto.Jws;

/**
 * The ES256 provider token APNs authenticates with ({@code kid} = key id, {@code iss} = team
 * id, {@code iat}). Apple rejects a token older than an hour and one refreshed more often than
 * every 20 minutes, so one token serves every request for 50 minutes.
 */
final class ApnsProviderToken {

    static final Duration REFRESH_AFTER = Duration.ofMinutes(50);
    static final Duration MIN_AGE = Duration.ofMinutes(20);

    private final ECPrivateKey key;
    private final String keyId;
    private final String teamId;
    private final Clock clock;

    private String token;
    private Instant issuedAt = Instant.MIN;

    ApnsProviderToken(ECPrivateKey key, String keyId, String teamId, Clock clock) {
        this.key = key;
        this.keyId = keyId;
        this.teamId = teamId;
        this.clock = clock;
    }

    synchronized String current() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(issuedAt.plus(REFRESH_AFTER))) {
            issue(now);
        }
        return token;
    }

    /** APNs said {@code ExpiredProviderToken}: a new one, if Apple's 20 minutes allow it. */
    synchronized void expired(String rejected) {
        Instant now = clock.instant();
        if (rejected.equals(token) && !now.isBefore(issuedAt.plus(MIN_AGE))) {
            issue(now);
        }
    }

    private void issue(Instant now) {
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + keyId + "\"}";
        String claims = "{\"iss\":\"" + teamId + "\",\"iat\":" + now.getEpochSecond() + "}";
        token = Jws.es256(header, claims, key);
        issuedAt = now;
    }
}
