package dev.beckon.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code createConference} answers. {@code ownerToken} is present for protected conferences
 * and for server tokens; {@code usersTokens} holds the invitees' tokens for server tokens only
 * (a user's client gets its own token when it accepts).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedConference(
        String conferenceId,
        String alias,
        String ownerId,
        String callType,
        @JsonProperty("protected") boolean isProtected,
        String message,
        String roomUrl,
        ConferenceSettings settings,
        String createdAt,
        String expiresAt,
        String ownerToken,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> usersTokens,
        List<Invitation> invitations) {
}
