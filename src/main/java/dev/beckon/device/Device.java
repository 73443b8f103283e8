package dev.beckon.device;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A registered device as its owner sees it; the address it is pushed to (endpoint, keys, token)
 * is never shown back. Times are ISO-8601 UTC; {@code expiresAt} moves on with every renewal.
 */
@RegisterForReflection
@Schema(name = "Device")
public record Device(@Schema(required = true) String deviceId,
        @Schema(required = true, enumeration = { "webpush", "fcm", "apns" }) String platform, String label,
        @Schema(required = true, format = "date-time") String createdAt,
        @Schema(required = true, format = "date-time", description = "forgotten then unless registered again") String expiresAt) {
}
