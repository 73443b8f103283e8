package dev.beckon.auth;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.beckon.config.BeckonConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Issues conference access tokens: what a media server verifies (against our JWKS) to admit a
 * user into a conference with the listed permissions.
 */
@ApplicationScoped
public class AccessTokens {

    public static final String AUDIENCE = "conference";

    @Inject
    SigningKey key;

    @Inject
    BeckonConfig config;

    public String issue(String userId, String conferenceId, List<String> permissions) {
        Instant now = Instant.now();
        return Jwt.issuer(config.token().issuer())
                .audience(AUDIENCE)
                .subject(userId)
                .claim("cid", conferenceId)
                .claim("perms", permissions)
                .issuedAt(now)
                .expiresAt(now.plus(config.token().ttl()))
                .jws()
                .keyId(key.keyId())
                .algorithm(SignatureAlgorithm.RS256)
                .sign(key.privateKey());
    }
}
