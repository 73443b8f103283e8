package dev.beckon.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A device as a registration describes it, already validated: a Web Push subscription
 * (endpoint, p256dh, auth) or an FCM/APNs token, and an optional label.
 */
public record NewDevice(String platform, String endpoint, String p256dh, String auth, String token, boolean voip,
        String label) {

    public static NewDevice webPush(String endpoint, String p256dh, String auth, String label) {
        return new NewDevice(PushPlatforms.WEBPUSH, endpoint, p256dh, auth, null, false, label);
    }

    public static NewDevice withToken(String platform, String token, boolean voip, String label) {
        return new NewDevice(platform, null, null, null, token, voip, label);
    }

    /**
     * What identifies the device at its push service, as a digest: registering the same address
     * again renews the same device. 128 bits of SHA-256 keep the stored key short.
     */
    public String address() {
        String where = platform + "\n" + (endpoint != null ? endpoint : token);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(where.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
