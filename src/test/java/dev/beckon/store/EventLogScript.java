package dev.beckon.store;

/** The replay read of an event log (scripts/events.lua with its pieces), for tests that look at the logs as a stream reads them. */
public final class EventLogScript {

    private static final String SOURCE = new ScriptSources().script(Script.EVENTS.file);

    private EventLogScript() {
    }

    /** EVAL arguments reading the whole log {@code key}: the events as a replay gets them, oldest first. */
    public static String[] readAll(String key) {
        return new String[] { "EVAL", SOURCE, "1", key, "", "1000000" };
    }
}
