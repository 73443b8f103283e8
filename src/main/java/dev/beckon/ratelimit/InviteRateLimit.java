package dev.beckon.ratelimit;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import dev.beckon.auth.Actor;
import dev.beckon.config.BeckonConfig;
import dev.beckon.redis.RedisTopology;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Script;
import io.smallrye.mutiny.Uni;

/**
 * Caps how many invitations one user sends per minute ({@code beckon.rate-limit.invites-per-minute}),
 * shared by every instance through a token bucket in Redis, so one client cannot ring-spam others.
 * Only invitations that ring are charged. Server tokens are the application's own backend and are
 * not limited.
 * <p>
 * On a single Redis the invite step keeps the bucket itself ({@link InStep}): it refuses a
 * request that wants more than is left and charges what it rang, in the same atomic step. On a
 * Redis Cluster the bucket and the conference live in different slots, so they cannot change in
 * one script: a request takes a token per invitee before it runs and gives back, in the bucket's
 * own atomic script, the tokens of what did not ring (a refused request, invitees already ringing).
 */
@ApplicationScoped
public class InviteRateLimit {

    private static final Logger LOG = Logger.getLogger(InviteRateLimit.class);
    /** The bucket refills its whole limit over this period. */
    static final Duration PERIOD = Duration.ofMinutes(1);

    @Inject
    RedisScripts scripts;

    @Inject
    BeckonConfig config;

    @Inject
    RedisTopology topology;

    /**
     * The bucket the invite step keeps itself on a single Redis; the step answers
     * {@code rate_limited} with the milliseconds until enough refill as its message.
     */
    public record InStep(int limit, long periodMs) {
    }

    /**
     * Runs {@code send}, which may ring up to {@code invitations} people for {@code actor}, and charges
     * the actor for those that {@code rang} says it rang: fails with 429 (changing nothing) when the
     * actor has not that many invitations left. {@code send} gets the bucket to keep in its step,
     * or null when it is kept here.
     */
    public <T> Uni<T> charge(Actor actor, int invitations, Function<InStep, Uni<T>> send, ToIntFunction<T> rang) {
        if (!limited(actor, invitations)) {
            return send.apply(null);
        }
        int limit = config.rateLimit().invitesPerMinute();
        if (invitations > limit) {
            return Uni.createFrom().failure(ApiException.rateLimited(
                    "One request cannot send more than " + limit + " invitations.", PERIOD.toSeconds()));
        }
        if (topology.scriptsReachEveryKey()) {
            return send.apply(new InStep(limit, PERIOD.toMillis()))
                    .onFailure(InviteRateLimit::exceededInStep)
                    .transform(failure -> exceeded(limit, Long.parseLong(failure.getMessage())));
        }
        return bucket(actor, invitations)
                .invoke(waitMs -> {
                    if (waitMs > 0) {
                        throw exceeded(limit, waitMs);
                    }
                })
                .chain(ignored -> send.apply(null))
                .call(result -> refund(actor, invitations - rang.applyAsInt(result)))
                .onFailure(InviteRateLimit::refused).call(failure -> refund(actor, invitations));
    }

    private static ApiException exceeded(int limit, long waitMs) {
        long seconds = Math.max(1, (waitMs + 999) / 1000);
        return ApiException.rateLimited("Invite rate limit of " + limit + " per minute reached; retry in "
                + seconds + " s.", seconds);
    }

    /** The step's own refusal: its message is the wait in milliseconds. */
    private static boolean exceededInStep(Throwable failure) {
        return failure instanceof ApiException e && e.code() == ErrorCode.RATE_LIMITED && e.retryAfterSeconds() == null;
    }

    /** Gives back invitations taken by {@link #acquire} that did not ring; never fails the request. */
    Uni<Void> refund(Actor actor, int invitations) {
        if (invitations <= 0) {
            return Uni.createFrom().voidItem();
        }
        return bucket(actor, -invitations)
                .onFailure().invoke(failure -> LOG.debugf("Could not refund %d invitations of %s: %s", invitations,
                        actor.userId(), failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private boolean limited(Actor actor, int invitations) {
        return config.rateLimit().invitesPerMinute() > 0 && !actor.server() && invitations != 0;
    }

    private Uni<Long> bucket(Actor actor, int change) {
        // the bucket key, bucket_key in scripts/lib/ratelimit.lua
        return scripts.run(Script.RATE_LIMIT, "bk:rl:{" + actor.userId() + "}",
                Integer.toString(config.rateLimit().invitesPerMinute()), Integer.toString(change),
                Long.toString(PERIOD.toMillis()))
                .map(reply -> reply.toLong());
    }

    /**
     * A request refused for what it asked (4xx) rang nobody. A 5xx may have come after the step ran
     * (a timeout), so its tokens stay taken. The rate limit's own 429 took nothing.
     */
    private static boolean refused(Throwable failure) {
        return failure instanceof ApiException e && e.code().status < 500 && e.code() != dev.beckon.api.ErrorCode.RATE_LIMITED;
    }
}
