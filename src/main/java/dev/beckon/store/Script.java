package dev.beckon.store;

/**
 * The Lua scripts under {@code src/main/resources/scripts}. The state machine's scripts run with
 * {@code lib.lua} prepended (their shared helpers); the others stand alone.
 */
public enum Script {
    INVITE("invite", true),
    RESPOND("respond", true),
    CANCEL("cancel", true),
    LEAVE("leave", true),
    RING("ring", true),
    EXPIRE("expire", true),
    CONFERENCE("conference", true),
    HISTORY("history", true),
    CONNECT("connect", true),
    PRESENCE("presence", false),
    RATE_LIMIT("ratelimit", false),
    DEVICES("devices", false),
    BUSY("busy", false),
    MARKS("marks", false);

    final String file;
    final boolean withLib;

    Script(String file, boolean withLib) {
        this.file = file;
        this.withLib = withLib;
    }
}
