package dev.beckon.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.api.RequestReader;
import dev.beckon.auth.Actor;
import dev.beckon.auth.Caller;
import dev.beckon.device.Device;
import dev.beckon.device.DeviceList;
import dev.beckon.device.DeviceStore;
import dev.beckon.device.NewDevice;
import dev.beckon.device.PushPlatforms;
import dev.beckon.device.UnregisteredDevice;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** registerDevice, unregisterDevice and listDevices: the phones and browsers Beckon pushes calls to. */
public class DeviceFunctions {

    private final FunctionGuard guard;
    private final RequestReader reader;
    private final DeviceStore devices;
    private final PushPlatforms platforms;

    public DeviceFunctions(FunctionGuard guard, RequestReader reader, DeviceStore devices, PushPlatforms platforms) {
        this.guard = guard;
        this.reader = reader;
        this.devices = devices;
        this.platforms = platforms;
    }

    /**
     * Registers the caller's browser subscription or phone token, or renews it when it is
     * registered already (same device id, new expiry).
     */
    @Funq
    public Uni<Device> registerDevice(JsonNode body) {
        return registerDevice(guard.caller(), body);
    }

    /** {@code registerDevice} for a caller authenticated elsewhere (the event binding). */
    public Uni<Device> registerDevice(Caller caller, JsonNode body) {
        DeviceRequests.RegisterDevice request = reader.read(body, DeviceRequests.RegisterDevice.class);
        Actor actor = caller.actAsUser(request.as());
        NewDevice device = request.device();
        String platform = device.platform();
        if (!platforms.configured(platform)) {
            throw ApiException.invalid("'platform' " + platform + " is not configured on this server: it cannot push to "
                    + platform + " devices.");
        }
        return devices.register(actor.userId(), device);
    }

    /** Forgets one of the caller's devices (404 for an id that is not theirs). */
    @Funq
    public Uni<UnregisteredDevice> unregisterDevice(JsonNode body) {
        return unregisterDevice(guard.caller(), body);
    }

    /** {@code unregisterDevice} for a caller authenticated elsewhere (the event binding). */
    public Uni<UnregisteredDevice> unregisterDevice(Caller caller, JsonNode body) {
        DeviceRequests.UnregisterDevice request = reader.read(body, DeviceRequests.UnregisterDevice.class);
        Actor actor = caller.actAsUser(request.as());
        return devices.unregister(actor.userId(), request.deviceId());
    }

    /** The caller's live devices. */
    @Funq
    public Uni<DeviceList> listDevices(JsonNode body) {
        return listDevices(guard.caller(), body);
    }

    /** {@code listDevices} for a caller authenticated elsewhere (the event binding). */
    public Uni<DeviceList> listDevices(Caller caller, JsonNode body) {
        DeviceRequests.ListDevices request = reader.read(body, DeviceRequests.ListDevices.class);
        Actor actor = caller.actAsUser(request.as());
        return devices.list(actor.userId()).map(DeviceList::new);
    }
}
