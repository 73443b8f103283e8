package dev.beckon.push;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a client needs before registering a device: the VAPID key for browsers, and which platforms are on. */
@Path("/push/config")
public class PushConfigResource {

    /** {@code webpush} is null, not absent, when Web Push is off. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PushConfig(WebPush webpush, boolean fcm, boolean apns) {
    }

    public record WebPush(String applicationServerKey) {
    }

    @Inject
    PushService push;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PushConfig config() {
        return new PushConfig(push.applicationServerKey().map(WebPush::new).orElse(null),
                push.configured(Platform.fcm), push.configured(Platform.apns));
    }
}
