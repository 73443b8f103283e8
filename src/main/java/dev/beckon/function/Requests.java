package dev.beckon.function;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.api.JsonInput;
import dev.beckon.model.ConferenceSettings;
import dev.beckon.model.Invitee;
import dev.beckon.model.Permission;

/**
 * The functions' inputs, each parsed strictly from the request body before anything is looked
 * up. A record per function; its {@code parse} is the single place that knows its fields.
 */
final class Requests {

    static final List<String> CALL_TYPES = List.of("video_call", "audio_call", "live_streaming");
    static final List<String> ACTIONS = List.of("accept", "decline");
    static final List<String> REASONS = List.of("busy", "declined", "unavailable");
    static final List<String> DIRECTIONS = List.of("incoming", "outgoing");

    static final int MAX_ALIAS = 256;
    static final int MAX_MESSAGE = 1024;
    static final int MAX_NAME = 256;
    static final int MAX_LIST_LIMIT = 200;
    static final int MAX_PRESENCE_USERS = 200;

    private Requests() {
    }

    /** The settings a request asked for; absent ones are filled from the defaults when the conference is made. */
    record SettingsInput(Integer ringTimeoutSeconds, Boolean canInviteDuringCall, Boolean onlyInitiatorCanInvite,
            Integer maxInviteesPerRequest, String busyPolicy) {

        static SettingsInput parse(JsonInput in) {
            if (in == null) {
                return new SettingsInput(null, null, null, null, null);
            }
            return new SettingsInput(
                    in.optionalInt("ringTimeoutSeconds", ConferenceSettings.MIN_RING_SECONDS, ConferenceSettings.MAX_RING_SECONDS),
                    in.optionalBoolean("canInviteDuringCall"),
                    in.optionalBoolean("onlyInitiatorCanInvite"),
                    in.optionalInt("maxInviteesPerRequest", 1, ConferenceSettings.MAX_INVITEES_LIMIT),
                    in.optionalChoice("busyPolicy", ConferenceSettings.BUSY_POLICIES));
        }

        ConferenceSettings withDefaults(int defaultRingSeconds) {
            return new ConferenceSettings(
                    ringTimeoutSeconds != null ? ringTimeoutSeconds : defaultRingSeconds,
                    canInviteDuringCall == null || canInviteDuringCall,
                    onlyInitiatorCanInvite != null && onlyInitiatorCanInvite,
                    maxInviteesPerRequest != null ? maxInviteesPerRequest : ConferenceSettings.DEFAULT_MAX_INVITEES,
                    busyPolicy != null ? busyPolicy : ConferenceSettings.BUSY_RING);
        }
    }

    record CreateConference(String alias, boolean isProtected, String callType, String message, String roomUrl,
            SettingsInput settings, List<Invitee> participants, String as) {

        static CreateConference parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "alias", "protected", "callType", "message", "roomUrl", "settings",
                    "participants", "as");
            SettingsInput settings = SettingsInput.parse(in.optionalObject("settings", "ringTimeoutSeconds",
                    "canInviteDuringCall", "onlyInitiatorCanInvite", "maxInviteesPerRequest", "busyPolicy"));
            Boolean isProtected = in.optionalBoolean("protected");
            String callType = in.optionalChoice("callType", CALL_TYPES);
            return new CreateConference(
                    in.optionalString("alias", MAX_ALIAS),
                    isProtected != null && isProtected,
                    callType != null ? callType : "video_call",
                    in.optionalString("message", MAX_MESSAGE),
                    in.optionalUrl("roomUrl"),
                    settings,
                    readInvitees(in, "participants"),
                    in.optionalUserId("as"));
        }
    }

    record Invite(String conferenceId, List<Invitee> invitees, String message, Integer ringTimeoutSeconds, String as) {

        static Invite parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "conferenceId", "invitees", "message", "ringTimeoutSeconds", "as");
            String conferenceId = in.requiredId("conferenceId");
            List<Invitee> invitees = readInvitees(in, "invitees");
            if (invitees == null || invitees.isEmpty()) {
                throw ApiException.invalid("'invitees' is required: a non-empty array of {userId, name?, avatarUrl?, permissions?}.");
            }
            return new Invite(conferenceId, invitees, in.optionalString("message", MAX_MESSAGE),
                    in.optionalInt("ringTimeoutSeconds", ConferenceSettings.MIN_RING_SECONDS, ConferenceSettings.MAX_RING_SECONDS),
                    in.optionalUserId("as"));
        }
    }

    record Respond(String invitationId, String action, String reason, String message, String as) {

        static Respond parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "invitationId", "action", "reason", "message", "as");
            String invitationId = in.requiredId("invitationId");
            String action = in.requiredChoice("action", ACTIONS);
            String reason = in.optionalChoice("reason", REASONS);
            if (reason != null && action.equals("accept")) {
                throw ApiException.invalid("'reason' only applies to action 'decline'.");
            }
            return new Respond(invitationId, action, reason, in.optionalString("message", MAX_MESSAGE), in.optionalUserId("as"));
        }
    }

    record Cancel(String invitationId, String as) {

        static Cancel parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "invitationId", "as");
            return new Cancel(in.requiredId("invitationId"), in.optionalUserId("as"));
        }
    }

    /** The input of getConference and leave. */
    record ConferenceRef(String conferenceId, String as) {

        static ConferenceRef parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "conferenceId", "as");
            return new ConferenceRef(in.requiredId("conferenceId"), in.optionalUserId("as"));
        }
    }

    record ListInvitations(String direction, boolean pendingOnly, int limit, String as) {

        static ListInvitations parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "direction", "pendingOnly", "limit", "as");
            String direction = in.requiredChoice("direction", DIRECTIONS);
            Boolean pendingOnly = in.optionalBoolean("pendingOnly");
            Integer limit = in.optionalInt("limit", 1, MAX_LIST_LIMIT);
            return new ListInvitations(direction, pendingOnly != null && pendingOnly, limit != null ? limit : 50,
                    in.optionalUserId("as"));
        }
    }

    record Presence(List<String> userIds) {

        static Presence parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "userIds");
            List<String> userIds = in.optionalArray("userIds", MAX_PRESENCE_USERS,
                    ApiException.tooLarge("At most " + MAX_PRESENCE_USERS + " userIds per presence request."),
                    JsonInput.Element::userId);
            if (userIds == null || userIds.isEmpty()) {
                throw ApiException.invalid("'userIds' is required: a non-empty array of user ids.");
            }
            return new Presence(List.copyOf(new java.util.LinkedHashSet<>(userIds)));
        }
    }

    /**
     * An array of invitees. Its length is checked against the hard ceiling here; the conference's
     * own {@code maxInviteesPerRequest} is checked where the conference is known.
     */
    private static List<Invitee> readInvitees(JsonInput in, String field) {
        List<Invitee> invitees = in.optionalArray(field, ConferenceSettings.MAX_INVITEES_LIMIT,
                ApiException.tooLarge("At most " + ConferenceSettings.MAX_INVITEES_LIMIT + " " + field + " per request."),
                element -> {
                    JsonInput item = element.object("userId", "name", "avatarUrl", "permissions");
                    List<String> permissions = item.optionalArray("permissions", Permission.NAMES.size() * 4,
                            ApiException.invalid("'" + element.path() + ".permissions' lists too many entries."),
                            p -> p.choice(Permission.NAMES));
                    if (permissions != null) {
                        if (permissions.isEmpty()) {
                            throw ApiException.invalid("'" + element.path() + ".permissions' must not be empty; omit it for the defaults.");
                        }
                        permissions = List.copyOf(new java.util.LinkedHashSet<>(permissions));
                    }
                    return new Invitee(item.requiredUserId("userId"), item.optionalString("name", MAX_NAME),
                            item.optionalUrl("avatarUrl"), permissions);
                });
        if (invitees != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < invitees.size(); i++) {
                if (!seen.add(invitees.get(i).userId())) {
                    throw ApiException.invalid("'" + field + "[" + i + "].userId' repeats " + invitees.get(i).userId() + ".");
                }
            }
        }
        return invitees;
    }
}
