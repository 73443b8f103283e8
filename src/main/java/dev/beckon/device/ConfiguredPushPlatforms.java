package dev.beckon.device;

import jakarta.enterprise.context.ApplicationScoped;

import dev.beckon.push.Platform;
import dev.beckon.push.PushService;

/** The platforms the push service has credentials for (see {@code beckon.push.*}). */
@ApplicationScoped
public class ConfiguredPushPlatforms implements PushPlatforms {

    private final PushService push;

    ConfiguredPushPlatforms(PushService push) {
        this.push = push;
    }

    @Override
    public boolean configured(String platform) {
        return Platform.named(platform).map(push::configured).orElse(false);
    }
}
