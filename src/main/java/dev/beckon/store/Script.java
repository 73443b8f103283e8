package dev.beckon.store;

/**
 * The Lua scripts under {@code src/main/resources/scripts}. The state machine's scripts name the
 * pieces of {@code scripts/lib} they use ({@code --- @include lib/<piece>}), which
 * {@link RedisScripts} puts in when it loads them; the others stand alone.
 */
public enum Script {
    INVITE("invite"),
    RESPOND("respond"),
    CANCEL("cancel"),
    LEAVE("leave"),
    RING("ring"),
    EXPIRE("expire"),
    CONFERENCE("conference"),
    HISTORY("history"),
    CONNECT("connect"),
    EVENTS("events"),
    PRESENCE("presence"),
    RATE_LIMIT("ratelimit"),
    DEVICES("devices"),
    BUSY("busy"),
    MARKS("marks");

    final String file;

    Script(String file) {
        this.file = file;
    }
}
