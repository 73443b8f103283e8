package dev.beckon.push;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What is pushed: the CloudEvent JSON as-is, with what the push services need beside it: the
 * event type and invitation id (APNs alert text, collapse ids), when the invitation stops
 * ringing (the message's time to live; a moment already past means "now or never"), and the
 * caller's display name for the alert.
 */
public record PushMessage(String eventJson, String type, String invitationId, Instant expiresAt, String callerName) {

    public PushMessage {
        Objects.requireNonNull(eventJson, "eventJson");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(invitationId, "invitationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whole seconds from {@code now} until {@code expiresAt}, never negative. */
    public long ttlSeconds(Instant now) {
        return Math.max(0, Duration.between(now, expiresAt).getSeconds());
    }
}
