package dev.beckon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One event for one user as it sits in their stream: the shard and stream id it has there (the
 * shard is -1 for an announcement re-sent to a new session, which has no place in the stream),
 * and the CloudEvent JSON. The few fields the gateway acts on are read once, here.
 */
record StreamEvent(int shard, String streamId, String json, String type, String invitationId, String state) {

    static final String RECEIVED = "invitation.received";

    static StreamEvent of(int shard, String streamId, String json, ObjectMapper mapper) {
        try {
            JsonNode event = mapper.readTree(json);
            JsonNode data = event.path("data");
            return new StreamEvent(shard, streamId, json, event.path("type").asText(),
                    data.path("invitationId").asText(null), data.path("state").asText(null));
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable event in stream: " + json, e);
        }
    }

    /** Parses a pub/sub announcement: {@code "<shard> <stream id> <event JSON>"}. */
    static StreamEvent fromAnnouncement(String message, ObjectMapper mapper) {
        int first = message.indexOf(' ');
        int second = message.indexOf(' ', first + 1);
        return of(Integer.parseInt(message.substring(0, first)), message.substring(first + 1, second),
                message.substring(second + 1), mapper);
    }

    /** An invitation that has just reached the invitee and has not been marked ringing yet. */
    boolean ringsInvitee() {
        return RECEIVED.equals(type) && "PENDING".equals(state) && invitationId != null;
    }
}
