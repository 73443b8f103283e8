package dev.beckon.device;

import java.util.List;

/**
 * Which push platforms this server can deliver to. A device may only be registered for a
 * configured platform: a device no one can push to would only give the application false hope.
 */
public interface PushPlatforms {

    String WEBPUSH = "webpush";
    String FCM = "fcm";
    String APNS = "apns";

    /** Every platform a device may name. */
    List<String> ALL = List.of(WEBPUSH, FCM, APNS);

    /** Whether {@code platform} (one of {@link #ALL}) has its credentials configured. */
    boolean configured(String platform);
}
