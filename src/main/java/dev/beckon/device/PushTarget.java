package dev.beckon.device;

/**
 * One live device with everything needed to push to it: for {@code webpush} the subscription's
 * endpoint, {@code p256dh} (base64url of the uncompressed P-256 point) and {@code auth}
 * (base64url of 16 bytes); for {@code fcm} and {@code apns} the token, and for apns whether it
 * is a VoIP (PushKit) token. Fields of the other platforms are null.
 */
public record PushTarget(String deviceId, String platform, String endpoint, String p256dh, String auth, String token,
        boolean voip) {
}
