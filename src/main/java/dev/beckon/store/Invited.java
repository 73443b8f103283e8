package dev.beckon.store;

import java.util.List;

import dev.beckon.model.Conference;
import dev.beckon.model.Invitation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of creating or inviting: the conference (without participants) and, per invitee in
 * request order, their invitation, permissions, and whether it was an already-ringing one.
 */
@RegisterForReflection
public record Invited(Conference conference, List<Item> items) {

    @RegisterForReflection
    public record Item(Invitation invitation, List<String> permissions, boolean existing) {
    }
}
