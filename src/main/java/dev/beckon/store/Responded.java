package dev.beckon.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.beckon.model.Invitation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The outcome of a response: the invitation, the invitee's permissions, and whether the conference is protected. */
@RegisterForReflection
public record Responded(Invitation invitation, List<String> permissions, @JsonProperty("protected") boolean isProtected) {
}
