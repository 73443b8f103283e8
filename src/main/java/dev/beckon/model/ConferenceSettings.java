package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Per-conference rules, fixed when the conference is created, and the limits around them: the
 * one place those limits are written down (the Lua scripts get them as arguments, see
 * {@code ConferenceStore}).
 */
@RegisterForReflection
@Schema(name = "ConferenceSettings", description = "The rules of a conference, defaults filled in")
public record ConferenceSettings(
        int ringTimeoutSeconds,
        boolean canInviteDuringCall,
        boolean onlyInitiatorCanInvite,
        int maxInviteesPerRequest,
        @Schema(ref = "BusyPolicy") String busyPolicy) {

    /** busyPolicy: ring a busy invitee anyway (call waiting) … */
    public static final String BUSY_RING = "ring";
    /** … or decline their invitation at once with reason "busy". */
    public static final String BUSY_REJECT = "reject";
    public static final java.util.List<String> BUSY_POLICIES = java.util.List.of(BUSY_RING, BUSY_REJECT);

    /** Conferences stored before busyPolicy existed read as "ring". */
    public ConferenceSettings {
        if (busyPolicy == null) {
            busyPolicy = BUSY_RING;
        }
    }

    public static final int MIN_RING_SECONDS = 5;
    public static final int MAX_RING_SECONDS = 600;
    public static final int MAX_INVITEES_LIMIT = 100;
    public static final int DEFAULT_MAX_INVITEES = 9;
    /** Default of {@code beckon.max-participants} (besides the owner). */
    public static final String DEFAULT_MAX_PARTICIPANTS = "100";
}
