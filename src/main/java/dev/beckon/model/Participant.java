package dev.beckon.model;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A member of a conference. {@code status}: RESERVED while invited, CONNECTED after accepting
 * (the owner from the start), then DECLINED, CANCELED, EXPIRED or LEFT.
 * {@code invitationId} is their latest invitation, so the owner can cancel it.
 */
@RegisterForReflection
@Schema(name = "Participant")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Participant(String userId, String name, String avatarUrl,
        @Schema(enumeration = { "RESERVED", "CONNECTED", "DECLINED", "CANCELED", "EXPIRED", "LEFT" }) String status,
        List<String> permissions,
        @Schema(description = "their latest invitation") String invitationId) {
}
