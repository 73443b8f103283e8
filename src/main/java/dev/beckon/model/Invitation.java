package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An invitation as clients see it. {@code state} moves PENDING → RINGING → one terminal state
 * (ACCEPTED, DECLINED, CANCELED, EXPIRED). Times are ISO-8601 UTC. {@code inviteeBusy}: when it
 * was made, the invitee was connected in another conference or ringing in one (call waiting).
 */
@RegisterForReflection
@Schema(name = "Invitation")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Invitation(
        @Schema(required = true) String invitationId,
        @Schema(required = true) String conferenceId,
        @Schema(required = true) String alias,
        @Schema(required = true) Party from,
        @Schema(required = true) Party to,
        @Schema(required = true, ref = "CallType") String callType,
        String message,
        String roomUrl,
        @Schema(required = true, enumeration = { "PENDING", "RINGING", "ACCEPTED", "DECLINED", "CANCELED", "EXPIRED" }) String state,
        @Schema(required = true, description = "at the moment of inviting, the invitee was CONNECTED in another conference or had another invitation PENDING or RINGING (call waiting)")
        boolean inviteeBusy,
        @Schema(enumeration = { "busy", "declined", "unavailable" }) String reason,
        String responseMessage,
        @Schema(required = true, format = "date-time") String createdAt,
        @Schema(required = true, format = "date-time") String expiresAt,
        @Schema(format = "date-time") String respondedAt,
        @Schema(description = "the invitee's conference access token (JWT, RS256, verify with /.well-known/jwks.json)")
        String accessToken) {

    public Invitation withAccessToken(String token) {
        return new Invitation(invitationId, conferenceId, alias, from, to, callType, message, roomUrl, state,
                inviteeBusy, reason, responseMessage, createdAt, expiresAt, respondedAt, token);
    }
}
