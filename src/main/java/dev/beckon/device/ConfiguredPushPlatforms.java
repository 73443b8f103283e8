package dev.beckon.device;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.LaunchMode;

/**
 * The configured push platforms, read from the credentials' settings: Web Push when a VAPID key
 * is set (dev and test generate one at start-up, so there it is always on), FCM with a service
 * account, APNs with a {@code .p8} key. A bean of the push senders that implements
 * {@link PushPlatforms} takes its place.
 */
@DefaultBean
@ApplicationScoped
public class ConfiguredPushPlatforms implements PushPlatforms {

    private final boolean webpush;
    private final boolean fcm;
    private final boolean apns;

    ConfiguredPushPlatforms(
            @ConfigProperty(name = "beckon.push.vapid.private-key-location") Optional<String> vapidKey,
            @ConfigProperty(name = "beckon.push.fcm.service-account-location") Optional<String> fcmServiceAccount,
            @ConfigProperty(name = "beckon.push.apns.key-location") Optional<String> apnsKey) {
        this.webpush = vapidKey.isPresent() || LaunchMode.current() != LaunchMode.NORMAL;
        this.fcm = fcmServiceAccount.isPresent();
        this.apns = apnsKey.isPresent();
    }

    @Override
    public boolean configured(String platform) {
        return switch (platform) {
            case WEBPUSH -> webpush;
            case FCM -> fcm;
            case APNS -> apns;
            default -> false;
        };
    }
}
