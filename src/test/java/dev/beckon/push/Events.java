package dev.beckon.push;

import java.time.Instant;

/** CloudEvents as Beckon pushes them, for the sender tests. */
final class Events {

    private Events() {
    }

    static PushMessage ringing(String invitationId, String callerName, Instant expiresAt) {
        return message("invitation.received", invitationId, callerName, expiresAt);
    }

    static PushMessage message(String type, String invitationId, String callerName, Instant expiresAt) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + invitationId + "-" + type + "\",\"source\":\"/beckon\",\"type\":\"" + type
                + "\",\"time\":\"2026-11-30T11:00:00Z\",\"subject\":\"bob\",\"data\":{\"invitationId\":\"" + invitationId
                + "\",\"conferenceId\":\"c-1\",\"state\":\"PENDING\",\"from\":{\"userId\":\"alice\",\"name\":\"" + callerName
                + "\"},\"expiresAt\":\"" + expiresAt + "\"}}";
        return new PushMessage(json, type, invitationId, expiresAt, callerName);
    }
}
