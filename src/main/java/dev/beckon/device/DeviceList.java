package dev.beckon.device;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of {@code listDevices}: the caller's live devices, least recently renewed first. */
@RegisterForReflection
public record DeviceList(List<Device> devices) {
}
