package dev.beckon.gateway;

import java.util.ArrayList;
import java.util.List;

import dev.beckon.store.EventLogEntry;

/**
 * One event for one user as it sits in their log: the shard and log id it has there (the
 * shard is -1 for an announcement re-sent to a new session, which has no place in the log),
 * the CloudEvent JSON, and the fields the gateway acts on, which the scripts store beside the
 * data so that routing an event never parses it.
 */
record StreamEvent(int shard, String streamId, String json, String type, String invitationId, String state) {

    static final String RECEIVED = "invitation.received";

    /**
     * Parses a pub/sub message to {@code subject}: one announcement per line, in the order they
     * happened, each {@code "<shard> <log entry>"} (see {@link EventLogEntry}).
     */
    static List<StreamEvent> fromAnnouncements(String message, String subject) {
        List<StreamEvent> events = new ArrayList<>(1);
        int from = 0;
        for (int end = message.indexOf('\n'); end >= 0; end = message.indexOf('\n', from)) {
            events.add(fromAnnouncement(message.substring(from, end), subject));
            from = end + 1;
        }
        events.add(fromAnnouncement(from == 0 ? message : message.substring(from), subject));
        return events;
    }

    /** Parses one announcement: {@code "<shard> <log entry>"}. */
    static StreamEvent fromAnnouncement(String message, String subject) {
        int space = message.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("not an announcement: " + message);
        }
        return fromEntry(Integer.parseInt(message.substring(0, space)), message.substring(space + 1), subject);
    }

    /** Parses an entry of {@code subject}'s event log in a shard. */
    static StreamEvent fromEntry(int shard, String entry, String subject) {
        EventLogEntry e = EventLogEntry.parse(entry);
        return new StreamEvent(shard, e.logId(), e.cloudEvent(subject), e.type(), e.invitationId(), e.state());
    }

    /**
     * A still-ringing invitation re-announced to a new session of {@code subject}:
     * {@code "<invitationId> <state> <event id> <time> <data JSON>"} (connect.lua).
     */
    static StreamEvent ringing(String line, String subject) {
        EventLogEntry e = EventLogEntry.parse("- " + RECEIVED + " " + line);
        return new StreamEvent(-1, null, e.cloudEvent(subject), RECEIVED, e.invitationId(), e.state());
    }

    /** An invitation that has just reached the invitee and has not been marked ringing yet. */
    boolean ringsInvitee() {
        return RECEIVED.equals(type) && "PENDING".equals(state) && invitationId != null;
    }
}
