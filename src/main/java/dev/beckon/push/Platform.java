package dev.beckon.push;

import java.util.Optional;

/** The push services Beckon rings devices through, named as in {@code registerDevice}. */
public enum Platform {
    webpush, fcm, apns;

    /** The platform of that name, if it is one. */
    public static Optional<Platform> named(String name) {
        for (Platform platform : values()) {
            if (platform.name().equals(name)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
