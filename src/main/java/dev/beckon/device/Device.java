package dev.beckon.device;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A registered device as its owner sees it; the address it is pushed to (endpoint, keys, token)
 * is never shown back. Times are ISO-8601 UTC; {@code expiresAt} moves on with every renewal.
 */
@RegisterForReflection
public record Device(String deviceId, String platform, String label, String createdAt, String expiresAt) {
}
