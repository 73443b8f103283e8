package dev.beckon.auth;

/**
 * The user an operation acts for, and whether a server token sent it (which always receives
 * access tokens). {@code userId} is null only for a server token acting as no one.
 */
public record Actor(String userId, String name, String avatarUrl, boolean server) {

    static Actor serverItself() {
        return new Actor(null, null, null, true);
    }
}
