package dev.beckon.function;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.beckon.api.ApiException;
import dev.beckon.api.RequestReader;
import dev.beckon.api.constraints.AbsoluteUrl;
import dev.beckon.api.constraints.Text;
import dev.beckon.api.constraints.TooLarge;
import dev.beckon.api.constraints.UserId;
import dev.beckon.model.BusyPolicy;
import dev.beckon.model.CallType;
import dev.beckon.model.ConferenceSettings;
import dev.beckon.model.DeclineReason;
import dev.beckon.model.Invitee;
import dev.beckon.model.Permission;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The functions' inputs, a record per function. Their annotations are the rules: Jackson reads
 * the body into them strictly and Bean Validation checks them ({@link RequestReader}), and the
 * OpenAPI document's request schemas are generated from them.
 */
final class Requests {

    static final int MAX_ALIAS = 256;
    static final int MAX_MESSAGE = 1024;
    static final int MAX_NAME = 256;
    static final int MAX_URL = 2048;
    static final int MAX_LIST_LIMIT = 200;
    static final int MAX_PRESENCE_USERS = 200;
    static final int MAX_PERMISSION_ENTRIES = 48;
    static final String AS = "With a server token, the user to act for; a user token may only name itself.";

    private Requests() {
    }

    @Schema(name = "RespondAction")
    enum Action {
        accept, decline
    }

    @Schema(name = "Direction")
    enum Direction {
        incoming, outgoing
    }

    /** Someone to ring, with the permissions they get when they accept (absent: JOIN … STREAM). */
    @RegisterForReflection
    @Schema(name = "Invitee", additionalProperties = Schema.False.class)
    record InviteeInput(
            @NotNull @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String userId,
            @Size(min = 1, max = MAX_NAME) @Text String name,
            @Schema(format = "uri") @Size(min = 1, max = MAX_URL) @Text @AbsoluteUrl String avatarUrl,
            @Schema(description = "default: JOIN … STREAM")
            @Size(min = 1, max = MAX_PERMISSION_ENTRIES) List<@NotNull Permission> permissions) {

        Invitee toInvitee() {
            List<String> names = permissions == null ? null
                    : List.copyOf(new LinkedHashSet<>(permissions.stream().map(Enum::name).toList()));
            return new Invitee(userId, name, avatarUrl, names);
        }

        /** Refuses a user id that repeats, naming where it repeats. */
        static void refuseRepeats(List<InviteeInput> invitees, String field) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; invitees != null && i < invitees.size(); i++) {
                if (!seen.add(invitees.get(i).userId())) {
                    throw ApiException.invalid("'" + field + "[" + i + "].userId' repeats " + invitees.get(i).userId() + ".");
                }
            }
        }

        static List<Invitee> toInvitees(List<InviteeInput> invitees) {
            return invitees == null ? List.of() : invitees.stream().map(InviteeInput::toInvitee).toList();
        }
    }

    /** The settings a request asked for; absent ones are filled from the defaults when the conference is made. */
    @RegisterForReflection
    @Schema(name = "Settings", additionalProperties = Schema.False.class)
    record SettingsInput(
            @Schema(defaultValue = "30")
            @Min(ConferenceSettings.MIN_RING_SECONDS) @Max(ConferenceSettings.MAX_RING_SECONDS) Integer ringTimeoutSeconds,
            @Schema(defaultValue = "true") Boolean canInviteDuringCall,
            @Schema(defaultValue = "false") Boolean onlyInitiatorCanInvite,
            @Schema(defaultValue = "9") @Min(1) @Max(ConferenceSettings.MAX_INVITEES_LIMIT) Integer maxInviteesPerRequest,
            @Schema(defaultValue = "ring") BusyPolicy busyPolicy) {

        ConferenceSettings withDefaults(int defaultRingSeconds) {
            return new ConferenceSettings(
                    ringTimeoutSeconds != null ? ringTimeoutSeconds : defaultRingSeconds,
                    canInviteDuringCall == null || canInviteDuringCall,
                    onlyInitiatorCanInvite != null && onlyInitiatorCanInvite,
                    maxInviteesPerRequest != null ? maxInviteesPerRequest : ConferenceSettings.DEFAULT_MAX_INVITEES,
                    busyPolicy != null ? busyPolicy.name() : ConferenceSettings.BUSY_RING);
        }
    }

    @RegisterForReflection
    @Schema(name = "CreateConferenceRequest", additionalProperties = Schema.False.class)
    record CreateConference(
            @Size(min = 1, max = MAX_ALIAS) @Text String alias,
            @Schema(defaultValue = "false") @JsonProperty("protected") Boolean isProtected,
            @Schema(defaultValue = "video_call") CallType callType,
            @Size(min = 1, max = MAX_MESSAGE) @Text String message,
            @Schema(format = "uri") @Size(min = 1, max = MAX_URL) @Text @AbsoluteUrl String roomUrl,
            @Valid SettingsInput settings,
            @Size(max = ConferenceSettings.MAX_INVITEES_LIMIT, payload = TooLarge.class)
            List<@NotNull @Valid InviteeInput> participants,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as)
            implements RequestReader.CrossChecked {

        @Override
        public void check() {
            InviteeInput.refuseRepeats(participants, "participants");
        }

        boolean protectedConference() {
            return isProtected != null && isProtected;
        }

        String callTypeName() {
            return (callType != null ? callType : CallType.video_call).name();
        }

        ConferenceSettings settings(int defaultRingSeconds) {
            return (settings != null ? settings : new SettingsInput(null, null, null, null, null)).withDefaults(defaultRingSeconds);
        }

        List<Invitee> invitees() {
            return InviteeInput.toInvitees(participants);
        }
    }

    @RegisterForReflection
    @Schema(name = "InviteRequest", additionalProperties = Schema.False.class)
    record Invite(
            @NotBlank String conferenceId,
            @NotNull @Size(min = 1, max = ConferenceSettings.MAX_INVITEES_LIMIT, payload = TooLarge.class)
            List<@NotNull @Valid InviteeInput> invitees,
            @Size(min = 1, max = MAX_MESSAGE) @Text String message,
            @Min(ConferenceSettings.MIN_RING_SECONDS) @Max(ConferenceSettings.MAX_RING_SECONDS) Integer ringTimeoutSeconds,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as)
            implements RequestReader.CrossChecked {

        @Override
        public void check() {
            InviteeInput.refuseRepeats(invitees, "invitees");
        }

        List<Invitee> inviteeList() {
            return InviteeInput.toInvitees(invitees);
        }
    }

    @RegisterForReflection
    @Schema(name = "RespondRequest", additionalProperties = Schema.False.class)
    record Respond(
            @NotBlank String invitationId,
            @NotNull Action action,
            @Schema(description = "decline only; default declined") DeclineReason reason,
            @Size(min = 1, max = MAX_MESSAGE) @Text String message,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as)
            implements RequestReader.CrossChecked {

        @Override
        public void check() {
            if (reason != null && action == Action.accept) {
                throw ApiException.invalid("'reason' only applies to action 'decline'.");
            }
        }

        String reasonName() {
            return reason == null ? null : reason.name();
        }
    }

    @RegisterForReflection
    @Schema(name = "CancelRequest", additionalProperties = Schema.False.class)
    record Cancel(
            @NotBlank String invitationId,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as) {
    }

    /** The input of getConference and leave. */
    @RegisterForReflection
    @Schema(name = "ConferenceRef", additionalProperties = Schema.False.class)
    record ConferenceRef(
            @NotBlank String conferenceId,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as) {
    }

    @RegisterForReflection
    @Schema(name = "ListInvitationsRequest", additionalProperties = Schema.False.class)
    record ListInvitations(
            @NotNull Direction direction,
            @Schema(defaultValue = "false") Boolean pendingOnly,
            @Schema(defaultValue = "50") @Min(1) @Max(MAX_LIST_LIMIT) Integer limit,
            @Schema(description = AS) @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as) {

        boolean pendingOnlyOrDefault() {
            return pendingOnly != null && pendingOnly;
        }

        int limitOrDefault() {
            return limit != null ? limit : 50;
        }
    }

    @RegisterForReflection
    @Schema(name = "PresenceRequest", additionalProperties = Schema.False.class)
    record Presence(
            @NotNull @Size(min = 1, max = MAX_PRESENCE_USERS, payload = TooLarge.class)
            List<@NotNull @Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String> userIds) {

        List<String> distinctUserIds() {
            return List.copyOf(new LinkedHashSet<>(userIds));
        }
    }
}
