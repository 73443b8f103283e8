package dev.beckon.function;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.api.JsonInput;
import dev.beckon.device.NewDevice;
import dev.beckon.device.PushPlatforms;

/**
 * The inputs of registerDevice, unregisterDevice and listDevices, parsed strictly like
 * {@link Requests}. A registration is checked as far as the push service would: a Web Push
 * endpoint is an https URL and its keys are a real P-256 point and a 16-byte secret; tokens
 * have their platform's alphabet and a sane length.
 */
final class DeviceRequests {

    static final int MAX_LABEL = 64;
    static final int MAX_ENDPOINT = 2048;
    /** FCM registration tokens are about 160 characters of base64url and ':'. */
    static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:.-]{32,1024}");
    /** APNs device tokens are 32 bytes in hex today; Apple reserves the right to make them longer. */
    static final Pattern APNS_TOKEN = Pattern.compile("(?:[0-9A-Fa-f]{2}){32,100}");
    /** Plain http endpoints on this machine, for a local push service outside production. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private DeviceRequests() {
    }

    /**
     * {@code allowLoopbackHttp}: also accept {@code http://127.0.0.1}, {@code localhost} and
     * {@code [::1]} endpoints (dev and test, never production).
     */
    record RegisterDevice(NewDevice device, String as) {

        static RegisterDevice parse(JsonNode body, boolean allowLoopbackHttp) {
            JsonInput in = JsonInput.body(body, "platform", "subscription", "token", "voip", "label", "as");
            String platform = in.requiredChoice("platform", PushPlatforms.ALL);
            String label = in.optionalString("label", MAX_LABEL);
            Boolean voip = in.optionalBoolean("voip");
            if (voip != null && !platform.equals(PushPlatforms.APNS)) {
                throw ApiException.invalid("'voip' applies only to platform apns.");
            }
            NewDevice device;
            if (platform.equals(PushPlatforms.WEBPUSH)) {
                if (in.has("token")) {
                    throw ApiException.invalid("'token' does not apply to platform webpush: send the browser's 'subscription'.");
                }
                device = webPush(in, body.get("subscription"), label, allowLoopbackHttp);
            } else {
                if (in.has("subscription")) {
                    throw ApiException.invalid("'subscription' applies only to platform webpush: send the device's 'token'.");
                }
                device = NewDevice.withToken(platform, token(in, platform), voip != null && voip, label);
            }
            return new RegisterDevice(device, in.optionalUserId("as"));
        }

        private static NewDevice webPush(JsonInput in, JsonNode raw, String label, boolean allowLoopbackHttp) {
            // what PushSubscription.toJSON() gives, expirationTime included
            JsonInput subscription = in.optionalObject("subscription", "endpoint", "expirationTime", "keys");
            if (subscription == null) {
                throw ApiException.invalid("'subscription' is required for platform webpush: {endpoint, keys: {p256dh, auth}}.");
            }
            JsonNode expirationTime = raw.get("expirationTime");
            if (expirationTime != null && !expirationTime.isNull() && !expirationTime.isNumber()) {
                throw ApiException.invalid("'subscription.expirationTime' must be a number or null.");
            }
            String endpoint = endpoint(subscription.requiredString("endpoint", MAX_ENDPOINT), allowLoopbackHttp);
            JsonInput keys = subscription.optionalObject("keys", "p256dh", "auth");
            if (keys == null) {
                throw ApiException.invalid("'subscription.keys' is required: {p256dh, auth}.");
            }
            String p256dh = keys.requiredString("p256dh", 128);
            byte[] point = base64Url(p256dh, "subscription.keys.p256dh");
            if (point.length != 65 || point[0] != 0x04 || !onP256(point)) {
                throw ApiException.invalid("'subscription.keys.p256dh' must be base64url of an uncompressed P-256 public key (65 bytes).");
            }
            String auth = keys.requiredString("auth", 64);
            if (base64Url(auth, "subscription.keys.auth").length != 16) {
                throw ApiException.invalid("'subscription.keys.auth' must be base64url of 16 bytes.");
            }
            return NewDevice.webPush(endpoint, p256dh, auth, label);
        }

        private static String endpoint(String endpoint, boolean allowLoopbackHttp) {
            String problem = "'subscription.endpoint' must be an https URL"
                    + (allowLoopbackHttp ? " (or http on 127.0.0.1, localhost or [::1])." : ".");
            URI uri;
            try {
                uri = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw ApiException.invalid(problem);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.isOpaque()) {
                throw ApiException.invalid(problem);
            }
            boolean secure = scheme.equals("https");
            boolean local = scheme.equals("http") && allowLoopbackHttp && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
            if (!secure && !local) {
                throw ApiException.invalid(problem);
            }
            return endpoint;
        }

        private static String token(JsonInput in, String platform) {
            String token = in.optionalString("token", 1024);
            if (token == null) {
                throw ApiException.invalid("'token' is required for platform " + platform + ".");
            }
            if (platform.equals(PushPlatforms.FCM)) {
                if (!FCM_TOKEN.matcher(token).matches()) {
                    throw ApiException.invalid("'token' must be an FCM registration token: 32..1024 characters of A-Z a-z 0-9 _ : . -");
                }
                return token;
            }
            if (!APNS_TOKEN.matcher(token).matches()) {
                throw ApiException.invalid("'token' must be an APNs device token: 32..100 bytes in hex.");
            }
            // the same token in either case is the same device
            return token.toLowerCase(Locale.ROOT);
        }
    }

    record UnregisterDevice(String deviceId, String as) {

        static UnregisterDevice parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "deviceId", "as");
            return new UnregisterDevice(in.requiredId("deviceId"), in.optionalUserId("as"));
        }
    }

    record ListDevices(String as) {

        static ListDevices parse(JsonNode body) {
            JsonInput in = JsonInput.body(body, "as");
            return new ListDevices(in.optionalUserId("as"));
        }
    }

    /** base64url, with or without padding (browsers send it without). */
    private static byte[] base64Url(String value, String field) {
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("'" + field + "' must be base64url.");
        }
    }

    private static final EllipticCurve P256 = p256();

    /** Whether the uncompressed point {@code 04 || x || y} lies on P-256: y² = x³ + ax + b (mod p). */
    static boolean onP256(byte[] point) {
        BigInteger p = ((ECFieldFp) P256.getField()).getP();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(P256.getA().multiply(x)).add(P256.getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(right);
    }

    private static EllipticCurve p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class).getCurve();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
