package dev.beckon.function;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Actor;
import dev.beckon.device.Device;
import dev.beckon.device.DeviceList;
import dev.beckon.device.DeviceStore;
import dev.beckon.device.PushPlatforms;
import dev.beckon.device.UnregisteredDevice;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;

/** registerDevice, unregisterDevice and listDevices: the phones and browsers Beckon pushes calls to. */
public class DeviceFunctions {

    @Inject
    FunctionGuard guard;

    @Inject
    DeviceStore devices;

    @Inject
    PushPlatforms platforms;

    /** Outside production a local push service may listen on plain http (tests, a developer's machine). */
    private static final boolean LOOPBACK_HTTP = LaunchMode.current() != LaunchMode.NORMAL;

    /**
     * Registers the caller's browser subscription or phone token, or renews it when it is
     * registered already (same device id, new expiry).
     */
    @Funq
    public Uni<Device> registerDevice(JsonNode body) {
        DeviceRequests.RegisterDevice request = DeviceRequests.RegisterDevice.parse(body, LOOPBACK_HTTP);
        Actor actor = guard.caller().actAsUser(request.as());
        String platform = request.device().platform();
        if (!platforms.configured(platform)) {
            throw ApiException.invalid("'platform' " + platform + " is not configured on this server: it cannot push to "
                    + platform + " devices.");
        }
        return devices.register(actor.userId(), request.device());
    }

    /** Forgets one of the caller's devices (404 for an id that is not theirs). */
    @Funq
    public Uni<UnregisteredDevice> unregisterDevice(JsonNode body) {
        DeviceRequests.UnregisterDevice request = DeviceRequests.UnregisterDevice.parse(body);
        Actor actor = guard.caller().actAsUser(request.as());
        return devices.unregister(actor.userId(), request.deviceId());
    }

    /** The caller's live devices. */
    @Funq
    public Uni<DeviceList> listDevices(JsonNode body) {
        DeviceRequests.ListDevices request = DeviceRequests.ListDevices.parse(body);
        Actor actor = guard.caller().actAsUser(request.as());
        return devices.list(actor.userId()).map(DeviceList::new);
    }
}
