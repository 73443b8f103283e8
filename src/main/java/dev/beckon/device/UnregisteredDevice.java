package dev.beckon.device;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of {@code unregisterDevice}: the id of the device that is gone. */
@RegisterForReflection
@Schema(name = "UnregisteredDevice")
public record UnregisteredDevice(String deviceId) {
}
