package dev.beckon.device;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of {@code listDevices}: the caller's live devices, least recently renewed first. */
@RegisterForReflection
@Schema(name = "DeviceList")
public record DeviceList(List<Device> devices) {
}
