package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One event for one user as it sits in their log: the shard and log id it has there (the
 * shard is -1 for an announcement re-sent to a new session, which has no place in the log),
 * the CloudEvent JSON, and the fields the gateway acts on, which the scripts store beside the
 * JSON so that routing an event never parses it.
 */
record StreamEvent(int shard, String streamId, String json, String type, String invitationId, String state) {

    static final String RECEIVED = "invitation.received";

    /**
     * Parses a pub/sub message: one announcement per line, in the order they happened, each
     * {@code "<shard> <stream id> <type> <invitationId|-> <state|-> <JSON>"}.
     */
    static List<StreamEvent> fromAnnouncements(String message) {
        List<StreamEvent> events = new ArrayList<>(1);
        int from = 0;
        for (int end = message.indexOf('\n'); end >= 0; end = message.indexOf('\n', from)) {
            events.add(fromAnnouncement(message.substring(from, end)));
            from = end + 1;
        }
        events.add(fromAnnouncement(from == 0 ? message : message.substring(from)));
        return events;
    }

    /** Parses one announcement: {@code "<shard> <log entry>"} (see {@link #fromEntry}). */
    static StreamEvent fromAnnouncement(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("not an announcement: " + message);
        }
        return fromEntry(Integer.parseInt(message.substring(0, space)), message.substring(space + 1));
    }

    /** Parses an entry of a user's event log in a shard: {@code "<log id> <type> <invitationId|-> <state|-> <JSON>"}. */
    static StreamEvent fromEntry(int shard, String entry) {
        int[] at = new int[4];
        int from = 0;
        for (int i = 0; i < at.length; i++) {
            at[i] = entry.indexOf(' ', from);
            if (at[i] < 0) {
                throw new IllegalArgumentException("not an event log entry: " + entry);
            }
            from = at[i] + 1;
        }
        return new StreamEvent(shard, entry.substring(0, at[0]), entry.substring(at[3] + 1), entry.substring(at[0] + 1, at[1]),
                orNull(entry.substring(at[1] + 1, at[2])), orNull(entry.substring(at[2] + 1, at[3])));
    }

    /** A still-ringing invitation re-announced to a new session: {@code "<invitationId> <state> <JSON>"}. */
    static StreamEvent ringing(String line) {
        int first = line.indexOf(' ');
        int second = line.indexOf(' ', first + 1);
        return new StreamEvent(-1, null, line.substring(second + 1), RECEIVED, line.substring(0, first),
                line.substring(first + 1, second));
    }

    static String orNull(String field) {
        return field.equals("-") ? null : field;
    }

    /** An invitation that has just reached the invitee and has not been marked ringing yet. */
    boolean ringsInvitee() {
        return RECEIVED.equals(type) && "PENDING".equals(state) && invitationId != null;
    }
}
