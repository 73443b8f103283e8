package dev.beckon.config;

import java.util.Base64;

/**
 * The format of {@code beckon.webhook.secret}: {@code whsec_<base64 key>}, as Standard Webhooks
 * libraries expect it. Read here so start-up checks and the signer agree on what a valid one is.
 */
public final class WebhookSecret {

    private static final String PREFIX = "whsec_";

    private WebhookSecret() {
    }

    /** The key bytes of a {@code whsec_<base64>} secret; IllegalArgumentException when it is not one. */
    public static byte[] decode(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must start with 'whsec_'");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        if (key.length < 16) {
            throw new IllegalArgumentException("the key must be at least 16 bytes (24 base64 characters)");
        }
        return key;
    }
}
