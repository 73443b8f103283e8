package dev.beckon.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of every error response: {@code {"error": code, "message": text, "state"?: current state}}. */
@RegisterForReflection
@Schema(name = "Error")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(
        @Schema(required = true, enumeration = { "invalid_request", "unauthenticated", "forbidden", "not_found", "conflict",
            "too_large", "rate_limited", "unavailable" }) String error,
        @Schema(required = true) String message,
        @Schema(description = "with conflict: the current state") String state) {
}
