package dev.beckon.store;

import java.util.List;

import dev.beckon.model.Conference;
import dev.beckon.model.Invitation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of creating or inviting: the conference (without participants) and, per invitee in
 * request order, their invitation, permissions, and whether it was an already-ringing one. A
 * glare answer (see invite.lua) has one item, the caller's accepted invitation, marked glare.
 */
@RegisterForReflection
public record Invited(Conference conference, List<Item> items) {

    /** Whether the caller's call met the callee's call to them and accepted it (glare). */
    public boolean glare() {
        return items.size() == 1 && items.get(0).glare();
    }

    @RegisterForReflection
    public record Item(Invitation invitation, List<String> permissions, boolean existing, boolean glare) {
    }
}
