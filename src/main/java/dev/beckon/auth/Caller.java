package dev.beckon.auth;

import dev.beckon.api.ApiException;

/**
 * Who sent a request, from their verified token: a user (acting as themself) or the
 * application's server (groups contains {@code beckon-server}), which may act for any user.
 */
public record Caller(String subject, String name, String picture, boolean server) {

    public static final String SERVER_GROUP = "beckon-server";

    /**
     * The user a request acts for. A user token acts as itself ({@code as} may repeat its own id);
     * a server token acts as the user named in {@code as}, or as no user when {@code as} is absent.
     */
    public Actor actAs(String as) {
        if (server) {
            return as == null ? Actor.serverItself() : new Actor(as, null, null, true);
        }
        if (as != null && !as.equals(subject)) {
            throw ApiException.forbidden("A user token acts only as its own user '" + subject + "', not as '" + as + "'.");
        }
        return new Actor(subject, name, picture, false);
    }

    /** Like {@link #actAs} for operations that need a user: a server token must then name one. */
    public Actor actAsUser(String as) {
        Actor actor = actAs(as);
        if (actor.userId() == null) {
            throw ApiException.invalid("'as' is required with a server token: name the user to act for.");
        }
        return actor;
    }
}
