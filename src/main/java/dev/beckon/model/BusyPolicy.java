package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What happens to an invitee who is busy (connected in another conference or ringing in one):
 * {@code ring} anyway (call waiting), or {@code reject}: not rung, the invitation ends at once
 * as DECLINED with reason busy. Constants are spelled as on the wire.
 */
@Schema(name = "BusyPolicy")
public enum BusyPolicy {
    ring, reject
}
