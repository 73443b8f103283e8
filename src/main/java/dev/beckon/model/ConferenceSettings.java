package dev.beckon.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Per-conference rules, fixed when the conference is created. */
@RegisterForReflection
public record ConferenceSettings(
        int ringTimeoutSeconds,
        boolean canInviteDuringCall,
        boolean onlyInitiatorCanInvite,
        int maxInviteesPerRequest) {

    public static final int MIN_RING_SECONDS = 5;
    public static final int MAX_RING_SECONDS = 600;
    public static final int MAX_INVITEES_LIMIT = 100;
    public static final int DEFAULT_MAX_INVITEES = 9;
}
