package dev.beckon.push.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;

/**
 * Compact JWS signing (RFC 7515) for the tokens push services ask for: ES256 (VAPID, APNs
 * provider tokens; the JDK's DER signature turned into the raw R || S that JWS requires) and
 * RS256 (the Google OAuth2 assertion).
 */
public final class Jws {

    private Jws() {
    }

    public static String es256(String headerJson, String claimsJson, ECPrivateKey key) {
        return sign(headerJson, claimsJson, key, "SHA256withECDSA", true);
    }

    public static String rs256(String headerJson, String claimsJson, RSAPrivateKey key) {
        return sign(headerJson, claimsJson, key, "SHA256withRSA", false);
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Accepts base64url with or without padding, as push subscriptions are not consistent about it. */
    public static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    }

    private static String sign(String headerJson, String claimsJson, PrivateKey key, String algorithm, boolean ecdsa) {
        String signingInput = base64Url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = signature.sign();
            return signingInput + "." + base64Url(ecdsa ? derToRaw(bytes, 32) : bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with " + algorithm, e);
        }
    }

    /** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } to r || s, each {@code size} bytes. */
    static byte[] derToRaw(byte[] der, int size) {
        int at = 2;
        if (der[0] != 0x30) {
            throw new IllegalArgumentException("not a DER ECDSA signature");
        }
        if ((der[1] & 0x80) != 0) {
            at += der[1] & 0x7f;
        }
        byte[] out = new byte[2 * size];
        for (int part = 0; part < 2; part++) {
            if (der[at] != 0x02) {
                throw new IllegalArgumentException("not a DER ECDSA signature");
            }
            int length = der[at + 1];
            int start = at + 2;
            int skip = 0;
            while (length - skip > size && der[start + skip] == 0) {
                skip++;
            }
            int significant = length - skip;
            if (significant > size) {
                throw new IllegalArgumentException("ECDSA signature part longer than " + size + " bytes");
            }
            System.arraycopy(der, start + skip, out, part * size + size - significant, significant);
            at = start + length;
        }
        return out;
    }
}
