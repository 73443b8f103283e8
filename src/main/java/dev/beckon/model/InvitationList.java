package dev.beckon.model;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A list of invitations: the answer of {@code invite} and {@code listInvitations}. */
@RegisterForReflection
public record InvitationList(List<Invitation> invitations) {
}
