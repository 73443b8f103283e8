package dev.beckon.model;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code createConference} answers. {@code ownerToken} is present for protected conferences
 * and for server tokens; {@code usersTokens} holds the invitees' tokens for server tokens only
 * (a user's client gets its own token when it accepts).
 * <p>
 * {@code glare}: the one person called was at that moment calling the caller in a conference of
 * just those two; that invitation was accepted on the caller's behalf and this is that conference
 * (owned by the other person). Its {@code invitations} holds the accepted invitation; where an
 * accept carries an access token (protected conference or server token), the caller's token is
 * in {@code ownerToken} (the caller's own token, as always in this answer), in
 * {@code usersTokens} under the caller's id and in the invitation's {@code accessToken}.
 */
@RegisterForReflection
@Schema(name = "CreatedConference")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedConference(
        String conferenceId,
        String alias,
        String ownerId,
        @Schema(ref = "CallType") String callType,
        @JsonProperty("protected") boolean isProtected,
        String message,
        String roomUrl,
        ConferenceSettings settings,
        @Schema(format = "date-time") String createdAt,
        @Schema(format = "date-time") String expiresAt,
        @Schema(description = "for protected conferences and server tokens") String ownerToken,
        @Schema(description = "server tokens only: each invitee's access token")
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> usersTokens,
        List<Invitation> invitations,
        @Schema(description = "true when the one person called was at that moment calling the caller in a conference of just those two: no second call was started; that invitation was accepted on the caller's behalf and this is that conference (ownerId is the other person)")
        boolean glare) {
}
