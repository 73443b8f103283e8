package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why an invitee declined; constants are spelled as on the wire. */
@Schema(name = "DeclineReason")
public enum DeclineReason {
    busy, declined, unavailable
}
