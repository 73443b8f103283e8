package dev.beckon.store;

/**
 * One event of a user's event log as the scripts write it and announce it (lib/events.lua, emit):
 * {@code "<log id> <type> <invitationId|-> <state|-> <event id> <time> <data JSON>"}. The
 * CloudEvent's envelope is not stored: its other fields follow from these and from the user whose
 * log it is, so the log holds the data once and {@link #cloudEvent} renders the very text the
 * scripts give webhooks and device pushes ({@code cloud_event} in lib/base.lua).
 * <p>
 * An entry written before the envelope was left out holds the whole CloudEvent in place of the
 * event id, time and data; it is read as it is.
 */
public record EventLogEntry(String logId, String type, String invitationId, String state, String eventId, String time,
        String data) {

    /** Parses a log entry; throws IllegalArgumentException for anything else. */
    public static EventLogEntry parse(String entry) {
        int[] at = new int[6];
        int from = 0;
        for (int i = 0; i < at.length; i++) {
            if (i == 4 && entry.startsWith("{", from)) {
                // a whole CloudEvent, from before the envelope was left out
                return new EventLogEntry(entry.substring(0, at[0]), entry.substring(at[0] + 1, at[1]),
                        orNull(entry.substring(at[1] + 1, at[2])), orNull(entry.substring(at[2] + 1, at[3])), null, null,
                        entry.substring(from));
            }
            at[i] = entry.indexOf(' ', from);
            if (at[i] < 0) {
                throw new IllegalArgumentException("not an event log entry: " + entry);
            }
            from = at[i] + 1;
        }
        return new EventLogEntry(entry.substring(0, at[0]), entry.substring(at[0] + 1, at[1]),
                orNull(entry.substring(at[1] + 1, at[2])), orNull(entry.substring(at[2] + 1, at[3])),
                entry.substring(at[3] + 1, at[4]), entry.substring(at[4] + 1, at[5]), entry.substring(at[5] + 1));
    }

    /**
     * The CloudEvent addressed to {@code subject}. Every value of the envelope is an id, a type or
     * a time, none needing escapes; event ids are {@code "<conferenceId>.<step>.<n>"}.
     */
    public String cloudEvent(String subject) {
        if (eventId == null) {
            return data;
        }
        String conferenceId = eventId.substring(0, eventId.indexOf('.'));
        return new StringBuilder(120 + eventId.length() + conferenceId.length() + type.length() + subject.length() + data.length())
                .append("{\"specversion\":\"1.0\",\"id\":\"").append(eventId)
                .append("\",\"source\":\"/conferences/").append(conferenceId)
                .append("\",\"type\":\"").append(type)
                .append("\",\"time\":\"").append(time)
                .append("\",\"subject\":\"").append(subject)
                .append("\",\"data\":").append(data).append('}')
                .toString();
    }

    private static String orNull(String field) {
        return field.equals("-") ? null : field;
    }
}
