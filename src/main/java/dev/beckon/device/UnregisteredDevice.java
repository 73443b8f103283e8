package dev.beckon.device;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of {@code unregisterDevice}: the id of the device that is gone. */
@RegisterForReflection
public record UnregisteredDevice(String deviceId) {
}
