package dev.beckon.model;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A list of invitations: the answer of {@code invite} and {@code listInvitations}. */
@RegisterForReflection
@Schema(name = "InvitationList")
public record InvitationList(List<Invitation> invitations) {
}
