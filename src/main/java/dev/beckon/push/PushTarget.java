package dev.beckon.push;

import java.util.Objects;

/**
 * One device as its push service knows it: a Web Push subscription (endpoint and its
 * {@code p256dh}/{@code auth} keys), or an FCM registration token, or an APNs device token
 * (with whether it is a VoIP token).
 */
public record PushTarget(Platform platform, String endpoint, String p256dh, String auth, String token, boolean voip) {

    public PushTarget {
        Objects.requireNonNull(platform, "platform");
    }

    public static PushTarget webPush(String endpoint, String p256dh, String auth) {
        return new PushTarget(Platform.webpush, endpoint, p256dh, auth, null, false);
    }

    public static PushTarget fcm(String token) {
        return new PushTarget(Platform.fcm, null, null, null, token, false);
    }

    public static PushTarget apns(String token, boolean voip) {
        return new PushTarget(Platform.apns, null, null, null, token, voip);
    }
}
