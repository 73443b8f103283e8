package dev.beckon.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One side of an invitation: who rings ({@code from}) or who is rung ({@code to}). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Party(String userId, String name, String avatarUrl) {
}
