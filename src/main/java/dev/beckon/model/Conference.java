package dev.beckon.model;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A conference with its participants. {@code state} is ACTIVE until the last connected
 * participant leaves or it sees no activity for the conference TTL, then ENDED.
 */
@RegisterForReflection
@Schema(name = "Conference")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Conference(
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
        @Schema(enumeration = { "ACTIVE", "ENDED" }) String state,
        @Schema(format = "date-time") String endedAt,
        List<Participant> participants) {
}
