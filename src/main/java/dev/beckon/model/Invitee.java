package dev.beckon.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Someone to ring, with the permissions they get when they accept (null: the defaults). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Invitee(String userId, String name, String avatarUrl, List<String> permissions) {
}
