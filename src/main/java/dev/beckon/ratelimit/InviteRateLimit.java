package dev.beckon.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Actor;
import dev.beckon.config.BeckonConfig;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Script;
import io.smallrye.mutiny.Uni;

/**
 * Caps how many invitations one user sends per minute ({@code beckon.rate-limit.invites-per-minute}),
 * shared by every instance through a token bucket in Redis, so one client cannot ring-spam others.
 * Server tokens are the application's own backend and are not limited.
 */
@ApplicationScoped
public class InviteRateLimit {

    @Inject
    RedisScripts scripts;

    @Inject
    BeckonConfig config;

    /** Completes when {@code actor} may send {@code invitations} more; fails with 429 otherwise. */
    public Uni<Void> acquire(Actor actor, int invitations) {
        int limit = config.rateLimit().invitesPerMinute();
        if (limit <= 0 || actor.server() || invitations == 0) {
            return Uni.createFrom().voidItem();
        }
        if (invitations > limit) {
            return Uni.createFrom().failure(ApiException.rateLimited(
                    "One request cannot send more than " + limit + " invitations.", 60));
        }
        return scripts.run(Script.RATE_LIMIT, "bk:rl:{" + actor.userId() + "}", Integer.toString(limit),
                Integer.toString(invitations))
                .invoke(reply -> {
                    long waitMs = reply.toLong();
                    if (waitMs > 0) {
                        long seconds = Math.max(1, (waitMs + 999) / 1000);
                        throw ApiException.rateLimited("Invite rate limit of " + limit + " per minute reached; retry in "
                                + seconds + " s.", seconds);
                    }
                })
                .replaceWithVoid();
    }
}
