package dev.beckon.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An invitation as clients see it. {@code state} moves PENDING → RINGING → one terminal state
 * (ACCEPTED, DECLINED, CANCELED, EXPIRED). Times are ISO-8601 UTC. {@code inviteeBusy}: when it
 * was made, the invitee was connected in another conference or ringing in one (call waiting).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Invitation(
        String invitationId,
        String conferenceId,
        String alias,
        Party from,
        Party to,
        String callType,
        String message,
        String roomUrl,
        String state,
        boolean inviteeBusy,
        String reason,
        String responseMessage,
        String createdAt,
        String expiresAt,
        String respondedAt,
        String accessToken) {

    public Invitation withAccessToken(String token) {
        return new Invitation(invitationId, conferenceId, alias, from, to, callType, message, roomUrl, state,
                inviteeBusy, reason, responseMessage, createdAt, expiresAt, respondedAt, token);
    }
}
