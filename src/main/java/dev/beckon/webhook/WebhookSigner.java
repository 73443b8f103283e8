package dev.beckon.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.beckon.config.WebhookSecret;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>},
 * where the key is the base64 part of a {@code whsec_} secret. Receivers verify them with the
 * off-the-shelf {@code standardwebhooks} libraries.
 */
public final class WebhookSigner {

    private final SecretKeySpec key;

    public WebhookSigner(String secret) {
        this.key = new SecretKeySpec(WebhookSecret.decode(secret), "HmacSHA256");
    }

    public String sign(String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
