package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One side of an invitation: who rings ({@code from}) or who is rung ({@code to}). */
@RegisterForReflection
@Schema(name = "Party")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Party(@Schema(required = true) String userId, String name, String avatarUrl) {
}
