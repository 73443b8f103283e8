package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One event for one user as it sits in their stream: the shard and stream id it has there (the
 * shard is -1 for an announcement re-sent to a new session, which has no place in the stream),
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

    /** Parses one announcement: {@code "<shard> <stream id> <type> <invitationId|-> <state|-> <JSON>"}. */
    static StreamEvent fromAnnouncement(String message) {
        int[] at = new int[5];
        int from = 0;
        for (int i = 0; i < at.length; i++) {
            at[i] = message.indexOf(' ', from);
            if (at[i] < 0) {
                throw new IllegalArgumentException("not an announcement: " + message);
            }
            from = at[i] + 1;
        }
        return new StreamEvent(Integer.parseInt(message.substring(0, at[0])), message.substring(at[0] + 1, at[1]),
                message.substring(at[4] + 1), message.substring(at[1] + 1, at[2]),
                orNull(message.substring(at[2] + 1, at[3])), orNull(message.substring(at[3] + 1, at[4])));
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
